"""Sentence templates written for the consistency set, in the demo templates' placeholder syntax.

`d` is a second settlement. None of these shapes is in the demo model's training corpus, so on
the demo model they show how the stage behaves when the model writes poor sentences.
"""

from __future__ import annotations

OWN: tuple[tuple[str, str, str], ...] = (
    (
        "{p} heads the military administration of {c}.",
        "{p.nom} очолює військову адміністрацію {c.gen}.",
        "{p.nom} возглавляет военную администрацию {c.gen}.",
    ),
    (
        "The mayor of {c}, {p}, asked the government for more generators.",
        "Міський голова {c.gen} {p.nom} {p|попросив|попросила} уряд про додаткові генератори.",
        "Мэр {c.gen} {p.nom} {p|попросил|попросила} правительство о дополнительных генераторах.",
    ),
    (
        "Schools in {c} will switch to remote learning.",
        "Школи {в_uk:c.loc} перейдуть на дистанційне навчання.",
        "Школы {в_ru:c.loc} перейдут на дистанционное обучение.",
    ),
    (
        "{p} told reporters that the water supply in {c} had been restored.",
        "{p.nom} {p|повідомив|повідомила} журналістам, що водопостачання {в_uk:c.loc} відновлено.",
        "{p.nom} {p|сообщил|сообщила} журналистам, что водоснабжение {в_ru:c.loc} восстановлено.",
    ),
    (
        "{p.sur}'s office said the curfew in {c} would be extended.",
        "В офісі {p.sur.gen} заявили, що комендантську годину {в_uk:c.loc} продовжать.",
        "В офисе {p.sur.gen} заявили, что комендантский час {в_ru:c.loc} продлят.",
    ),
    (
        "The road between {c} and {d} was damaged by shelling.",
        "Дорогу між {c.ins} та {d.ins} пошкоджено внаслідок обстрілу.",
        "Дорога между {c.ins} и {d.ins} повреждена в результате обстрела.",
    ),
    (
        "{p} thanked the rescuers of {c}.",
        "{p.nom} {p|подякував|подякувала} рятувальникам {c.gen}.",
        "{p.nom} {p|поблагодарил|поблагодарила} спасателей {c.gen}.",
    ),
    (
        "Power was restored to {m} homes in {c}.",
        "{в_uk:c.loc} світло повернули до {m} будинків.",
        "{в_ru:c.loc} свет вернули в {m} домов.",
    ),
    (
        "{p} will meet {q.sur} in {c} on Friday.",
        "У п'ятницю {p.nom} зустрінеться {з_uk:q.sur.ins} {в_uk:c.loc}.",
        "В пятницу {p.nom} встретится {с_ru:q.sur.ins} {в_ru:c.loc}.",
    ),
    (
        "Residents of {c} say they trust {p.sur}.",
        "Мешканці {c.gen} кажуть, що довіряють {p.sur.dat}.",
        "Жители {c.gen} говорят, что доверяют {p.sur.dat}.",
    ),
    (
        "{p.sur} was born in {c}.",
        "{p.sur.nom} {p|народився|народилася} {в_uk:c.loc}.",
        "{p.sur.nom} {p|родился|родилась} {в_ru:c.loc}.",
    ),
    (
        "Journalists asked {p.sur} about the situation in {c}.",
        "Журналісти запитали {p.sur.acc} про ситуацію {в_uk:c.loc}.",
        "Журналисты спросили {p.sur.acc} о ситуации {в_ru:c.loc}.",
    ),
    (
        "With the help of {p}, a humanitarian hub opened in {c}.",
        "За сприяння {p.gen} {в_uk:c.loc} відкрили гуманітарний хаб.",
        "При содействии {p.gen} {в_ru:c.loc} открыли гуманитарный хаб.",
    ),
    (
        "Buses from {c} to {d} will run again from Monday.",
        "З понеділка знову курсуватимуть автобуси {з_uk:c.gen} до {d.gen}.",
        "С понедельника снова будут ходить автобусы из {c.gen} {в_ru:d.acc}.",
    ),
    (
        "{p} praised the work of the doctors in {c}.",
        "{p.nom} {p|похвалив|похвалила} роботу лікарів {в_uk:c.loc}.",
        "{p.nom} {p|похвалил|похвалила} работу врачей {в_ru:c.loc}.",
    ),
    (
        "The prosecutor's office opened a case against {p.sur}.",
        "Прокуратура відкрила справу проти {p.sur.gen}.",
        "Прокуратура открыла дело против {p.sur.gen}.",
    ),
    (
        "{p.sur} and {q.sur} discussed the reconstruction of {c}.",
        "{p.sur.nom} та {q.sur.nom} обговорили відбудову {c.gen}.",
        "{p.sur.nom} и {q.sur.nom} обсудили восстановление {c.gen}.",
    ),
    (
        "Volunteers delivered generators to {c} and {d}.",
        "Волонтери доставили генератори до {c.gen} та {d.gen}.",
        "Волонтеры доставили генераторы {в_ru:c.acc} и {d.acc}.",
    ),
    (
        "According to the police, {m} people were injured in {c}.",
        "За даними поліції, {в_uk:c.loc} постраждали {m} осіб.",
        "По данным полиции, {в_ru:c.loc} пострадали {m} человек.",
    ),
    (
        "{p} offered condolences to the families of the victims in {c}.",
        "{p.nom} {p|висловив|висловила} співчуття родинам загиблих {в_uk:c.loc}.",
        "{p.nom} {p|выразил|выразила} соболезнования семьям погибших {в_ru:c.loc}.",
    ),
)
