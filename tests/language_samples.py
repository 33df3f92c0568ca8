"""Short news-like paragraphs in languages other than English (written for the tests), for the language check."""

NOT_ENGLISH = {
    "french": "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs touchés "
    "par la sécheresse. Selon le ministre, les aides seront versées avant la fin du mois, mais les syndicats "
    "estiment que ces sommes restent largement insuffisantes face à l'ampleur des pertes subies cet été dans "
    "plusieurs régions du pays.",
    "german": "Die Bundesregierung hat am Dienstag neue Maßnahmen zur Unterstützung der Landwirte beschlossen, die "
    "unter der anhaltenden Dürre leiden. Nach Angaben des Ministers sollen die Hilfen noch vor Ende des Monats "
    "ausgezahlt werden, doch die Verbände halten die Summen angesichts der hohen Verluste in mehreren Regionen "
    "für viel zu gering.",
    "spanish": "El gobierno anunció el martes un nuevo paquete de medidas para apoyar a los agricultores afectados "
    "por la sequía. Según el ministro, las ayudas se pagarán antes de que termine el mes, pero los sindicatos "
    "consideran que las cantidades son claramente insuficientes ante las enormes pérdidas sufridas este verano "
    "en varias regiones del país.",
    "italian": "Il governo ha annunciato martedì un nuovo pacchetto di misure per sostenere gli agricoltori colpiti "
    "dalla siccità. Secondo il ministro, gli aiuti saranno versati prima della fine del mese, ma i sindacati "
    "ritengono che le somme siano del tutto insufficienti rispetto alle perdite subite quest'estate in diverse "
    "regioni del paese.",
    "portuguese": "O governo anunciou na terça-feira um novo pacote de medidas para apoiar os agricultores "
    "afetados pela seca. Segundo o ministro, os apoios serão pagos antes do fim do mês, mas os sindicatos "
    "consideram que os valores são claramente insuficientes perante as enormes perdas sofridas este verão em "
    "várias regiões do país.",
    "dutch": "De regering heeft dinsdag nieuwe maatregelen aangekondigd om boeren te steunen die getroffen zijn "
    "door de droogte. Volgens de minister wordt de steun nog voor het einde van de maand uitbetaald, maar de "
    "vakbonden vinden de bedragen veel te laag gezien de grote verliezen die deze zomer in verschillende "
    "regio's van het land zijn geleden.",
    "swedish": "Regeringen presenterade på tisdagen nya åtgärder för att stödja bönder som drabbats av torkan. "
    "Enligt ministern ska stödet betalas ut före månadens slut, men fackförbunden anser att beloppen är alldeles "
    "för små med tanke på de stora förluster som drabbat flera regioner i landet under sommaren.",
    "polish": "Rząd ogłosił we wtorek nowy pakiet środków wsparcia dla rolników dotkniętych suszą. Według ministra "
    "pomoc zostanie wypłacona przed końcem miesiąca, jednak związki zawodowe uważają, że kwoty są zdecydowanie "
    "za niskie w porównaniu z ogromnymi stratami, jakie tego lata poniosło kilka regionów kraju.",
    "turkish": "Hükümet salı günü kuraklıktan etkilenen çiftçileri desteklemek için yeni bir önlem paketi açıkladı. "
    "Bakana göre yardımlar ay sonundan önce ödenecek, ancak sendikalar bu yaz birçok bölgede yaşanan büyük "
    "kayıplar karşısında miktarların kesinlikle yetersiz olduğunu düşünüyor ve daha fazla destek talep ediyor.",
    "indonesian": "Pemerintah pada hari Selasa mengumumkan paket kebijakan baru untuk membantu para petani yang "
    "terdampak kekeringan. Menurut menteri, bantuan akan dibayarkan sebelum akhir bulan, tetapi serikat petani "
    "menilai jumlahnya masih jauh dari cukup dibandingkan kerugian besar yang dialami beberapa daerah musim ini.",
    "russian": "Правительство во вторник объявило о новом пакете мер поддержки фермеров, пострадавших от засухи. "
    "По словам министра, помощь будет выплачена до конца месяца, однако профсоюзы считают, что эти суммы явно "
    "недостаточны с учётом огромных потерь, понесённых этим летом в нескольких регионах страны.",
    "ukrainian": "Уряд у вівторок оголосив новий пакет заходів підтримки фермерів, які постраждали від посухи. "
    "За словами міністра, допомогу виплатять до кінця місяця, проте профспілки вважають, що ці суми явно "
    "недостатні з огляду на величезні втрати, яких цього літа зазнали кілька регіонів країни.",
    "arabic": "أعلنت الحكومة يوم الثلاثاء عن حزمة جديدة من الإجراءات لدعم المزارعين المتضررين من الجفاف. وقال "
    "الوزير إن المساعدات ستصرف قبل نهاية الشهر، لكن النقابات ترى أن هذه المبالغ غير كافية على الإطلاق مقارنة "
    "بالخسائر الكبيرة التي تكبدتها عدة مناطق في البلاد خلال هذا الصيف.",
    "chinese": "政府周二宣布了一系列新措施，以支持受干旱影响的农民。部长表示，援助资金将在月底前发放，但工会认为，"
    "与今年夏天多个地区遭受的巨大损失相比，这些金额远远不够。农民们呼吁政府提供更多长期支持，并改善灌溉设施，"
    "以应对未来可能出现的极端天气。",
}

# English that is hard for a function-word count: short sentences, headlines, lists of names, quotes.
ENGLISH = {
    "headline_list": "Minister resigns after leak. Markets fall as oil jumps. Storm hits coast, thousands without "
    "power. Police arrest two in Leeds. Court rejects appeal by former mayor. Schools reopen after strike. Prices "
    "rise again in March. Talks stall over border deal. Team wins cup in extra time. Fire closes motorway.",
    "quoted": "“This is a disgrace,” said Maria Lopez, a farmer from Seville. “Nobody in Brussels listens to us.” "
    "Her neighbour agreed: the aid, he said, would not even pay for the water they had lost. The ministry did not "
    "answer questions about when the money would arrive, or how much of it would go to small farms.",
}
