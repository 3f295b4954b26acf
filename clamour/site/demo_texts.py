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
