"""The demo campaign's texts in French, Spanish and Arabic (the English ones are in
core.demo)."""

ATT_CAMPAIGN = {
    "fr": {
        "title": "Quelques jours pour combler les failles du commerce des armes",
        "summary": "Les gouvernements rédigent en ce moment le premier traité mondial sur le "
                   "commerce des armes. Demandez-leur qu'il soit fort : cela prend quatre minutes.",
        "story": """\
Chaque minute, quelque part dans le monde, une personne est tuée par la violence armée.
Les balles, les fusils et les grenades traversent les frontières avec moins de règles
que les bananes ou les lecteurs MP3 : aucun traité mondial n'empêche que des armes
parviennent à des gouvernements et à des groupes qui s'en serviront pour commettre des
atrocités.

Ce mois-ci, pour la première fois, les gouvernements du monde entier se réunissent aux
Nations unies, à New York, pour en rédiger un. **Un traité sur le commerce des armes
pourrait sauver des vies pendant des décennies**, mais seulement s'il est fort. Un
traité faible donnerait au commerce des armes un label de respectabilité.

## Ce qu'exige un traité fort

- **Toutes les armes et toutes les munitions couvertes.** Un traité qui contrôle les
  armes mais pas les balles n'arrêtera pas les tueries.
- **Un critère contraignant des droits humains.** Aucun transfert lorsqu'il existe un
  risque substantiel que les armes servent à commettre de graves violations des droits
  humains ou du droit humanitaire.
- **Aucune faille** pour les dons, les prêts et les accords de « coopération de défense ».

## Pourquoi votre lettre compte

Les négociateurs lisent leur courrier. Quand des milliers de personnes écrivent le même
jour à un gouvernement, celui-ci arrive à la table des négociations en sachant que ses
électeurs le regardent. Cela ne prend que quatre minutes.
""",
    },
    "es": {
        "title": "Quedan días para cerrar las lagunas del comercio de armas",
        "summary": "Los gobiernos están redactando ahora mismo el primer tratado mundial sobre "
                   "el comercio de armas. Pídeles que sea firme: se tarda cuatro minutos.",
        "story": """\
Cada minuto, en algún lugar del mundo, una persona muere por la violencia armada. Las
balas, los fusiles y las granadas cruzan las fronteras con menos normas que los
plátanos o los reproductores de MP3: no existe ningún tratado mundial que impida que
las armas lleguen a gobiernos y grupos que las usarán para cometer atrocidades.

Este mes, por primera vez, los gobiernos del mundo se reúnen en las Naciones Unidas,
en Nueva York, para redactar uno. **Un tratado sobre el comercio de armas podría salvar
vidas durante décadas**, pero solo si es firme. Un tratado débil daría al comercio de
armas un sello de aprobación.

## Lo que necesita un tratado firme

- **Todas las armas y todas las municiones incluidas.** Un tratado que controle las
  armas pero no las balas no detendrá las muertes.
- **Un criterio vinculante de derechos humanos.** Ninguna transferencia cuando exista un
  riesgo sustancial de que las armas se usen para cometer violaciones graves de los
  derechos humanos o del derecho humanitario.
- **Ninguna laguna** para donaciones, préstamos y acuerdos de «cooperación en defensa».

## Por qué importa tu carta

Los negociadores leen su correo. Cuando miles de personas escriben a un gobierno en un
solo día, ese gobierno llega a la mesa de negociación sabiendo que sus votantes lo
están mirando. Solo se tarda cuatro minutos.
""",
    },
    "ar": {
        "title": "أيام معدودة لسدّ ثغرات تجارة الأسلحة",
        "summary": "تكتب الحكومات الآن أول معاهدة عالمية لتجارة الأسلحة. طالبها بأن تكون قوية: "
                   "لن يستغرق ذلك سوى أربع دقائق.",
        "story": """\
في كل دقيقة، في مكان ما من العالم، يُقتل إنسان بسبب العنف المسلح. تعبر الرصاصات
والبنادق والقنابل اليدوية الحدود بقواعد أقل مما تخضع له تجارة الموز أو مشغلات
الموسيقى: لا توجد معاهدة عالمية تمنع وصول الأسلحة إلى حكومات وجماعات ستستخدمها في
ارتكاب الفظائع.

هذا الشهر، ولأول مرة، تجتمع حكومات العالم في الأمم المتحدة في نيويورك لكتابة هذه
المعاهدة. **يمكن لمعاهدة تجارة الأسلحة أن تنقذ الأرواح لعقود**، لكن بشرط أن تكون قوية.
أما المعاهدة الضعيفة فستمنح تجارة الأسلحة ختم الموافقة.

## ما تحتاجه المعاهدة القوية

- **شمول كل الأسلحة وكل الذخائر.** المعاهدة التي تضبط البنادق دون الرصاص لن توقف القتل.
- **معيار ملزم لحقوق الإنسان.** لا نقل للأسلحة حين يوجد خطر جوهري من استخدامها في
  انتهاكات جسيمة لحقوق الإنسان أو للقانون الإنساني.
- **لا ثغرات** للهبات والقروض وصفقات «التعاون الدفاعي».

## لماذا تهمّ رسالتك

يقرأ المفاوضون بريدهم. حين يكتب آلاف الناس إلى حكومة واحدة في يوم واحد، تصل تلك
الحكومة إلى طاولة المفاوضات وهي تعلم أن ناخبيها يراقبون. لن يستغرق الأمر سوى أربع دقائق.
""",
    },
}

ATT_ACTION = {
    "fr": {
        "title": "Écrivez à votre gouvernement",
        "intro": "Votre lettre est adressée au ministre des Affaires étrangères de votre pays. "
                 "Si nous n'avons pas encore de contact pour votre pays, elle va au ministre "
                 "britannique des Affaires étrangères, dont la délégation défend un texte fort.",
        "letter_subject": "Tenez bon pour un traité fort sur le commerce des armes",
        "letter_template": """\
Je vous écris pour vous demander de tenir bon pour un traité fort sur le commerce des armes pendant les derniers jours des négociations à New York.

Les transferts d'armes irresponsables alimentent les atrocités, les conflits et la pauvreté. Un traité qui couvrirait les armes mais pas les munitions qui les rendent meurtrières, ou qui permettrait aux gouvernements d'ignorer le risque de graves violations des droits humains, trahirait les personnes qu'il doit protéger.

Veillez à ce que le texte final :
- couvre toutes les armes classiques, y compris les armes légères et toutes les munitions ;
- oblige les gouvernements à refuser les transferts lorsqu'il existe un risque substantiel de violations graves des droits humains ou du droit international humanitaire ;
- comble les failles des dons, des prêts et des accords de coopération de défense.

Le monde jugera ce traité aux vies qu'il sauvera. J'espère que vous veillerez à ce qu'il soit fort.
""",
        "consent_wording": "Oui, écrivez-moi au sujet de cette campagne et de ce que je peux "
                           "faire ensuite. Je peux me désabonner à tout moment.",
    },
    "es": {
        "title": "Escribe a tu gobierno",
        "intro": "Tu carta va al ministro de Asuntos Exteriores de tu país. Si todavía no "
                 "tenemos un contacto para tu país, va al ministro de Asuntos Exteriores del "
                 "Reino Unido, cuya delegación defiende un texto firme.",
        "letter_subject": "Manténgase firme por un tratado fuerte sobre el comercio de armas",
        "letter_template": """\
Le escribo para pedirle que se mantenga firme por un tratado fuerte sobre el comercio de armas en los últimos días de las negociaciones en Nueva York.

Las transferencias irresponsables de armas alimentan las atrocidades, los conflictos y la pobreza. Un tratado que incluya las armas pero no las municiones que las hacen mortíferas, o que permita a los gobiernos ignorar el riesgo de violaciones graves de los derechos humanos, fallaría a las personas a las que debe proteger.

Le ruego que se asegure de que el texto final:
- incluya todas las armas convencionales, también las armas pequeñas y todas las municiones;
- obligue a los gobiernos a denegar las transferencias cuando exista un riesgo sustancial de violaciones graves de los derechos humanos o del derecho internacional humanitario;
- cierre las lagunas de las donaciones, los préstamos y los acuerdos de cooperación en defensa.

El mundo juzgará este tratado por las vidas que salve. Espero que se asegure de que sea un tratado fuerte.
""",
        "consent_wording": "Sí, enviadme correos sobre esta campaña y sobre lo que puedo hacer "
                           "a continuación. Puedo darme de baja en cualquier momento.",
    },
    "ar": {
        "title": "اكتب إلى حكومتك",
        "intro": "تُرسل رسالتك إلى وزير خارجية بلدك. وإن لم تكن لدينا بعدُ جهة اتصال في بلدك، "
                 "فستُرسل إلى وزير الخارجية البريطاني الذي يدافع وفده عن نص قوي.",
        "letter_subject": "اثبتوا على موقفكم من أجل معاهدة قوية لتجارة الأسلحة",
        "letter_template": """\
أكتب إليكم لأطلب منكم الثبات على موقفكم من أجل معاهدة قوية لتجارة الأسلحة في الأيام الأخيرة من المفاوضات في نيويورك.

إن عمليات نقل الأسلحة غير المسؤولة تغذّي الفظائع والنزاعات والفقر. والمعاهدة التي تشمل الأسلحة دون الذخائر التي تجعلها قاتلة، أو التي تسمح للحكومات بتجاهل خطر الانتهاكات الجسيمة لحقوق الإنسان، ستخذل من وُضعت لحمايتهم.

أرجو أن تحرصوا على أن يتضمن النص النهائي ما يلي:
- شمول كل الأسلحة التقليدية، بما فيها الأسلحة الصغيرة وكل الذخائر؛
- إلزام الحكومات برفض عمليات النقل حين يوجد خطر جوهري من وقوع انتهاكات جسيمة لحقوق الإنسان أو للقانون الإنساني الدولي؛
- سدّ الثغرات الخاصة بالهبات والقروض واتفاقات التعاون الدفاعي.

سيحكم العالم على هذه المعاهدة بعدد الأرواح التي تنقذها. وآمل أن تحرصوا على أن تكون قوية.
""",
        "consent_wording": "نعم، راسلوني بشأن هذه الحملة وما يمكنني فعله بعد ذلك. "
                           "يمكنني إلغاء الاشتراك في أي وقت.",
    },
}


# The treaty tracker's asks (title and why it matters), by their English title.
ATT_ASKS = {
    "All ammunition under the same export criteria": {
        "fr": {"title": "Toutes les munitions soumises aux mêmes critères d'exportation",
               "description": "Des fusils sans balles ne servent à rien. Les munitions doivent "
                              "être soumises aux mêmes interdictions et à la même évaluation des "
                              "risques que les armes qui les tirent."},
        "es": {"title": "Todas las municiones sujetas a los mismos criterios de exportación",
               "description": "Un fusil sin balas no sirve de nada. Las municiones deben estar "
                              "sujetas a las mismas prohibiciones y a la misma evaluación de "
                              "riesgos que las armas que las disparan."},
        "ar": {"title": "إخضاع جميع الذخائر لمعايير التصدير نفسها",
               "description": "لا قيمة لبندقية بلا رصاص. يجب أن تخضع الذخائر للمحظورات نفسها "
                              "ولتقييم المخاطر نفسه الذي تخضع له الأسلحة التي تُطلقها."},
    },
    "A binding human-rights test": {
        "fr": {"title": "Un critère contraignant en matière de droits humains",
               "description": "Aucune exportation lorsqu'il existe un risque prépondérant de "
                              "violations graves des droits humains ou du droit humanitaire : "
                              "une règle, pas un simple élément « à prendre en considération »."},
        "es": {"title": "Un criterio vinculante de derechos humanos",
               "description": "Ninguna exportación cuando exista un riesgo preponderante de "
                              "violaciones graves de los derechos humanos o del derecho "
                              "humanitario: una norma, no algo que solo haya que «considerar»."},
        "ar": {"title": "معيار مُلزِم لحقوق الإنسان",
               "description": "لا تصدير حين يكون هناك خطر راجح لوقوع انتهاكات جسيمة لحقوق "
                              "الإنسان أو للقانون الإنساني: قاعدة واجبة، لا مجرد أمر "
                              "«يُؤخذ في الاعتبار»."},
    },
    "No exemption for defence-cooperation agreements": {
        "fr": {"title": "Aucune exemption pour les accords de coopération de défense",
               "description": "Les transactions entre alliés ne doivent pas échapper aux "
                              "critères du traité."},
        "es": {"title": "Ninguna exención para los acuerdos de cooperación en defensa",
               "description": "Los acuerdos entre aliados no deben escapar a los criterios del "
                              "tratado."},
        "ar": {"title": "لا استثناء لاتفاقات التعاون الدفاعي",
               "description": "يجب ألّا تفلت الصفقات بين الحلفاء من معايير المعاهدة."},
    },
    "Assess the risk of gender-based violence": {
        "fr": {"title": "Évaluer le risque de violences fondées sur le genre",
               "description": "Les États exportateurs doivent tenir compte du risque que les "
                              "armes servent à des violences fondées sur le genre ou à des "
                              "violences contre les femmes et les enfants."},
        "es": {"title": "Evaluar el riesgo de violencia de género",
               "description": "Los Estados exportadores deben tener en cuenta el riesgo de que "
                              "las armas se usen para cometer actos de violencia de género o de "
                              "violencia contra mujeres, niñas y niños."},
        "ar": {"title": "تقييم خطر العنف القائم على النوع الاجتماعي",
               "description": "على الدول المصدِّرة أن تأخذ في الحسبان خطر استخدام الأسلحة في "
                              "العنف القائم على النوع الاجتماعي أو في العنف ضد النساء والأطفال."},
    },
    "Small arms and light weapons in the scope": {
        "fr": {"title": "Les armes légères et de petit calibre dans le champ du traité",
               "description": "La plupart des victimes de la violence armée sont tuées par des "
                              "armes légères."},
        "es": {"title": "Las armas pequeñas y ligeras dentro del ámbito del tratado",
               "description": "La mayoría de las personas que mueren por la violencia armada "
                              "mueren por armas pequeñas."},
        "ar": {"title": "إدراج الأسلحة الصغيرة والخفيفة في نطاق المعاهدة",
               "description": "معظم ضحايا العنف المسلح يُقتلون بالأسلحة الصغيرة."},
    },
}

# The public rationales of the tracker's verdicts, by their English text.
ATT_RATIONALES = {
    "Ammunition exports are only monitored; none of the export criteria apply to them.": {
        "fr": "Les exportations de munitions sont seulement surveillées ; aucun des critères "
              "d'exportation ne s'y applique.",
        "es": "Las exportaciones de municiones solo se vigilan; no se les aplica ninguno de los "
              "criterios de exportación.",
        "ar": "صادرات الذخائر خاضعة للرصد فقط، ولا ينطبق عليها أيٌّ من معايير التصدير.",
    },
    "Ammunition exports must respect the prohibitions of Article 6, but escape the risk "
    "assessment of Article 7.": {
        "fr": "Les exportations de munitions doivent respecter les interdictions de l'article 6, "
              "mais échappent à l'évaluation des risques de l'article 7.",
        "es": "Las exportaciones de municiones deben respetar las prohibiciones del artículo 6, "
              "pero escapan a la evaluación de riesgos del artículo 7.",
        "ar": "يجب أن تحترم صادرات الذخائر محظورات المادة 6، لكنها تفلت من تقييم المخاطر "
              "المنصوص عليه في المادة 7.",
    },
    "Ammunition exports now face Articles 6 and 7, but the import, transit and brokering of "
    "ammunition are still outside the treaty.": {
        "fr": "Les exportations de munitions relèvent désormais des articles 6 et 7, mais "
              "l'importation, le transit et le courtage de munitions restent hors du traité.",
        "es": "Las exportaciones de municiones quedan ahora sujetas a los artículos 6 y 7, pero la "
              "importación, el tránsito y el corretaje de municiones siguen fuera del tratado.",
        "ar": "باتت صادرات الذخائر خاضعة للمادتين 6 و7، لكن استيراد الذخائر وعبورها "
              "والسمسرة فيها لا تزال خارج نطاق المعاهدة.",
    },
    "Exporters must assess the risk of serious human-rights violations, but then only "
    "“consider whether” to authorise the export.": {
        "fr": "Les exportateurs doivent évaluer le risque de violations graves des droits humains, "
              "mais ensuite seulement « examiner s'il y a lieu » d'autoriser l'exportation.",
        "es": "Los exportadores deben evaluar el riesgo de violaciones graves de los derechos "
              "humanos, pero después solo «considerar si» autorizan la exportación.",
        "ar": "على المصدِّرين تقييم خطر وقوع انتهاكات جسيمة لحقوق الإنسان، ثم لا يُطلب منهم "
              "بعد ذلك سوى «النظر فيما إذا كانوا» سيأذنون بالتصدير.",
    },
    "An overriding risk of serious violations now means the export shall not be authorised.": {
        "fr": "Un risque prépondérant de violations graves signifie désormais que l'exportation "
              "ne doit pas être autorisée.",
        "es": "Un riesgo preponderante de violaciones graves significa ahora que la exportación "
              "no se autorizará.",
        "ar": "بات وجود خطر راجح لوقوع انتهاكات جسيمة يعني أنه لا يجوز الإذن بالتصدير.",
    },
    "Unchanged: an overriding risk means no export.": {
        "fr": "Inchangé : un risque prépondérant signifie aucune exportation.",
        "es": "Sin cambios: un riesgo preponderante significa que no hay exportación.",
        "ar": "دون تغيير: الخطر الراجح يعني عدم التصدير.",
    },
    "Article 5(2) takes transfers under defence-cooperation agreements out of the export "
    "assessment altogether.": {
        "fr": "L'article 5(2) soustrait entièrement à l'évaluation des exportations les "
              "transferts effectués dans le cadre d'accords de coopération de défense.",
        "es": "El artículo 5(2) excluye por completo de la evaluación de exportaciones las "
              "transferencias realizadas en virtud de acuerdos de cooperación en defensa.",
        "ar": "تُخرج المادة 5(2) عمليات النقل التي تتم بموجب اتفاقات التعاون الدفاعي من تقييم "
              "التصدير كليًّا.",
    },
    "Moved to Article 26(2) and the exemption from Article 7 is gone, but existing contracts are "
    "protected from the treaty.": {
        "fr": "Déplacé à l'article 26(2) et l'exemption de l'article 7 a disparu, mais les "
              "contrats existants sont protégés du traité.",
        "es": "Trasladado al artículo 26(2) y la exención del artículo 7 ha desaparecido, pero los "
              "contratos existentes quedan protegidos frente al tratado.",
        "ar": "نُقل النص إلى المادة 26(2) وزال الاستثناء من المادة 7، لكن العقود القائمة تبقى "
              "في مأمن من المعاهدة.",
    },
    "Article 26(2) still says the treaty cannot be used to void defence-cooperation agreements; "
    "we will watch how States read it.": {
        "fr": "L'article 26(2) dit toujours que le traité ne peut être invoqué pour annuler des "
              "accords de coopération de défense ; nous suivrons la lecture qu'en feront les États.",
        "es": "El artículo 26(2) sigue diciendo que el tratado no puede invocarse para anular "
              "acuerdos de cooperación en defensa; vigilaremos cómo lo interpretan los Estados.",
        "ar": "لا تزال المادة 26(2) تنص على أنه لا يجوز الاستناد إلى المعاهدة لإبطال اتفاقات "
              "التعاون الدفاعي، وسنتابع كيف تفسّرها الدول.",
    },
    "Gender-based violence is not mentioned.": {
        "fr": "Les violences fondées sur le genre ne sont pas mentionnées.",
        "es": "La violencia de género no se menciona.",
        "ar": "لا ذكر للعنف القائم على النوع الاجتماعي.",
    },
    "New Article 7(4): States “may” take the risk into account, so they may also ignore it.": {
        "fr": "Nouvel article 7(4) : les États « peuvent » tenir compte du risque, ils peuvent "
              "donc aussi l'ignorer.",
        "es": "Nuevo artículo 7(4): los Estados «pueden» tener en cuenta el riesgo, así que "
              "también pueden ignorarlo.",
        "ar": "المادة 7(4) الجديدة: «يجوز» للدول أن تأخذ الخطر في الحسبان، أي يجوز لها أيضًا "
              "أن تتجاهله.",
    },
    "Article 7(4) now says States “shall” take the risk into account.": {
        "fr": "L'article 7(4) dit désormais que les États « tiennent compte » du risque : "
              "c'est une obligation.",
        "es": "El artículo 7(4) dice ahora que los Estados «tendrán en cuenta» el riesgo: es "
              "una obligación.",
        "ar": "تنص المادة 7(4) الآن على أن الدول «تأخذ» الخطر في الحسبان، وهذا التزام.",
    },
    "Small arms and light weapons are in the scope (Article 2(1)(h)).": {
        "fr": "Les armes légères et de petit calibre entrent dans le champ du traité "
              "(article 2(1)(h)).",
        "es": "Las armas pequeñas y ligeras están dentro del ámbito del tratado "
              "(artículo 2(1)(h)).",
        "ar": "الأسلحة الصغيرة والخفيفة مشمولة بنطاق المعاهدة (المادة 2(1)(ح)).",
    },
    "Unchanged.": {
        "fr": "Inchangé.",
        "es": "Sin cambios.",
        "ar": "دون تغيير.",
    },
}

# The demo campaign's dated updates, by their English title.
ATT_UPDATES = {
    "The negotiations open": {
        "fr": {"title": "Les négociations s'ouvrent",
               "body": "Des délégations de plus de 170 pays sont arrivées à New York. De "
                       "nombreux gouvernements disent vouloir un traité fort ; une poignée "
                       "plaide déjà pour des exemptions."},
        "es": {"title": "Comienzan las negociaciones",
               "body": "Delegaciones de más de 170 países han llegado a Nueva York. Muchos "
                       "gobiernos dicen querer un tratado fuerte; unos pocos ya están pidiendo "
                       "excepciones."},
        "ar": {"title": "انطلاق المفاوضات",
               "body": "وصلت إلى نيويورك وفود من أكثر من 170 دولة. تقول حكومات كثيرة إنها "
                       "تريد معاهدة قوية، فيما بدأت حفنة منها تطالب باستثناءات."},
    },
    "A new draft text: two loopholes remain": {
        "fr": {"title": "Un nouveau projet de texte : deux failles subsistent",
               "body": "La présidence a fait circuler un nouveau projet. Il comprend désormais "
                       "un critère relatif aux droits humains, mais **les munitions ne sont "
                       "couvertes qu'en partie** et les transactions conclues dans le cadre "
                       "d'**accords de coopération de défense seraient exemptées**. L'analyse "
                       "complète de notre équipe est sur le suivi du traité."},
        "es": {"title": "Un nuevo borrador: quedan dos lagunas",
               "body": "La presidencia ha hecho circular un nuevo borrador. Ahora incluye un "
                       "criterio de derechos humanos, pero **las municiones solo están "
                       "cubiertas en parte** y los acuerdos firmados en el marco de **acuerdos "
                       "de cooperación en defensa quedarían exentos**. El análisis completo de "
                       "nuestro equipo está en el seguimiento del tratado."},
        "ar": {"title": "مسودة جديدة: ثغرتان لا تزالان قائمتين",
               "body": "وزّع الرئيس مسودة جديدة. باتت تتضمن معيارًا لحقوق الإنسان، لكن "
                       "**الذخائر مشمولة جزئيًا فقط**، والصفقات المبرمة بموجب **اتفاقات التعاون "
                       "الدفاعي ستكون مستثناة**. التحليل الكامل لفريقنا منشور في متتبّع "
                       "المعاهدة."},
    },
    "Your letters are arriving": {
        "fr": {"title": "Vos lettres arrivent",
               "body": "Merci. Moins d'un jour après notre appel, vos lettres parvenaient au "
                       "ministre britannique des Affaires étrangères, et la délégation du "
                       "Royaume-Uni a depuis demandé que les munitions soient pleinement "
                       "couvertes. Il ne reste que quelques jours : continuez d'écrire, et "
                       "invitez un ami à vous rejoindre."},
        "es": {"title": "Tus cartas están llegando",
               "body": "Gracias. Menos de un día después de nuestro llamamiento, tus cartas ya "
                       "llegaban al ministro británico de Asuntos Exteriores, y la delegación "
                       "del Reino Unido ha pedido desde entonces que las municiones queden "
                       "plenamente cubiertas. Solo quedan unos días: sigue escribiendo e invita "
                       "a alguien a sumarse."},
        "ar": {"title": "رسائلكم تصل",
               "body": "شكرًا لكم. في أقل من يوم على ندائنا، كانت رسائلكم تصل إلى وزير "
                       "الخارجية البريطاني، ومنذ ذلك الحين طالب الوفد البريطاني بأن تُشمل "
                       "الذخائر بالكامل. لم يبقَ سوى أيام: واصلوا الكتابة، وادعوا صديقًا "
                       "للانضمام إليكم."},
    },
}


# The treaty's name and introduction on the tracker's pages.
ATT_TREATY = {
    "fr": {
        "title": "Le Traité sur le commerce des armes",
        "description": """\
En juillet 2012 et en mars 2013, les gouvernements du monde entier se sont réunis aux
Nations unies pour rédiger le premier traité mondial sur le commerce des armes. Notre
équipe de plaidoyer a lu chaque nouveau projet dans les heures qui ont suivi : ce qui a
changé, lesquelles de nos revendications sont satisfaites et quelles failles subsistent.

*Données de démonstration : les deux projets antérieurs présentés ici sont illustratifs,
obtenus en modifiant le texte final de 2013 ; seul le texte final est authentique. Les
positions des gouvernements sont elles aussi illustratives.*
""",
    },
    "es": {
        "title": "El Tratado sobre el Comercio de Armas",
        "description": """\
En julio de 2012 y en marzo de 2013, los gobiernos del mundo se reunieron en las Naciones
Unidas para redactar el primer tratado mundial sobre el comercio de armas. Nuestro equipo
de incidencia leyó cada nuevo borrador en cuestión de horas: qué había cambiado, cuáles de
nuestras peticiones se cumplían y qué lagunas seguían abiertas.

*Datos de demostración: los dos borradores anteriores que se muestran aquí son
ilustrativos, elaborados a partir del texto final de 2013; solo el texto final es real.
Las posiciones de los gobiernos también son ilustrativas.*
""",
    },
    "ar": {
        "title": "معاهدة تجارة الأسلحة",
        "description": """\
في تموز/يوليو 2012 وآذار/مارس 2013، اجتمعت حكومات العالم في الأمم المتحدة لصياغة أول
معاهدة عالمية بشأن تجارة الأسلحة. وقرأ فريق السياسات لدينا كل مسودة جديدة في غضون ساعات:
ما الذي تغيّر، وأيّ مطالبنا استُوفيت، وأيّ الثغرات ما زالت قائمة.

*بيانات تجريبية: المسودتان السابقتان المعروضتان هنا توضيحيتان، أُعدّتا بتعديل النص النهائي
لعام 2013؛ والنص النهائي وحده حقيقي. ومواقف الحكومات توضيحية أيضًا.*
""",
    },
}
