"""Parallel en/uk/ru news sentence templates for the demo corpus.

Placeholders: `{c}` a slot (p, q people; c settlement; r region; k country; u unit;
s subject phrase; n kilometres; m a count taking the genitive plural), `.nom .gen .dat .acc
.ins .loc` the case, `.sur` the surname only, `{p|заявив|заявила}` the verb agreeing
with person p, and a prefix `в_uk:` `з_uk:` `в_ru:` `с_ru:` for a preposition that alternates
with the next word's sound.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """One sentence in three languages."""

    topic: str
    en: str
    uk: str
    ru: str


def _t(topic: str, en: str, uk: str, ru: str) -> Template:
    return Template(topic, en, uk, ru)


TEMPLATES: tuple[Template, ...] = (
    # Advances.
    _t(
        "advance",
        "{s} advanced {n} km into {r}.",
        "{s} просунулися на {n} км {в_uk:r.acc}.",
        "{s} продвинулись на {n} км {в_ru:r.acc}.",
    ),
    _t(
        "advance",
        "{s} advanced {n} km towards {c}.",
        "{s} просунулися на {n} км у напрямку {c.gen}.",
        "{s} продвинулись на {n} км в направлении {c.gen}.",
    ),
    _t(
        "advance",
        "{s} advanced in {r}.",
        "{s} просунулися {в_uk:r.loc}.",
        "{s} продвинулись {в_ru:r.loc}.",
    ),
    _t(
        "advance",
        "The {u} advanced {n} km near {c}.",
        "{u.nom} просунулася на {n} км поблизу {c.gen}.",
        "{u.nom} продвинулась на {n} км вблизи {c.gen}.",
    ),
    _t("advance", "{s} entered {c}.", "{s} увійшли до {c.gen}.", "{s} вошли {в_ru:c.acc}."),
    _t(
        "advance",
        "{s} took control of {c}.",
        "{s} взяли під контроль {c.acc}.",
        "{s} взяли под контроль {c.acc}.",
    ),
    # States of emergency.
    _t(
        "emergency",
        "A state of emergency has been declared in {c}.",
        "{в_uk:c.loc} оголосили надзвичайний стан.",
        "{в_ru:c.loc} объявили чрезвычайное положение.",
    ),
    _t(
        "emergency",
        "The governor of {r} declared a state of emergency.",
        "Губернатор {r.gen} оголосив надзвичайний стан.",
        "Губернатор {r.gen} объявил чрезвычайное положение.",
    ),
    _t(
        "emergency",
        "{p} declared a state of emergency in {r}.",
        "{p.nom} {p|оголосив|оголосила} надзвичайний стан {в_uk:r.loc}.",
        "{p.nom} {p|объявил|объявила} чрезвычайное положение {в_ru:r.loc}.",
    ),
    _t(
        "emergency",
        "The state of emergency in {c} has been extended.",
        "Надзвичайний стан {в_uk:c.loc} продовжили.",
        "Чрезвычайное положение {в_ru:c.loc} продлили.",
    ),
    # Drone attacks.
    _t(
        "drones",
        "Russian drones attacked {c} overnight.",
        "Вночі російські дрони атакували {c.acc}.",
        "Ночью российские беспилотники атаковали {c.acc}.",
    ),
    _t(
        "drones",
        "A drone attack on {c} injured {m} people.",
        "Унаслідок атаки дронів на {c.acc} поранено {m} людей.",
        "В результате атаки беспилотников на {c.acc} ранены {m} человек.",
    ),
    _t(
        "drones",
        "Air defence shot down {m} drones over {r}.",
        "Протиповітряна оборона збила {m} дронів над {r.ins}.",
        "ПВО сбила {m} беспилотников над {r.ins}.",
    ),
    _t(
        "drones",
        "Ukrainian drones struck an oil depot in {c}.",
        "Українські дрони уразили нафтобазу {в_uk:c.loc}.",
        "Украинские беспилотники поразили нефтебазу {в_ru:c.loc}.",
    ),
    _t(
        "drones",
        "Explosions were heard in {c}.",
        "{в_uk:c.loc} пролунали вибухи.",
        "{в_ru:c.loc} прогремели взрывы.",
    ),
    # Statements by officials.
    _t(
        "statement",
        "{p} said that the situation in {c} remains difficult.",
        "{p.nom} {p|заявив|заявила}, що ситуація {в_uk:c.loc} залишається складною.",
        "{p.nom} {p|заявил|заявила}, что ситуация {в_ru:c.loc} остается сложной.",
    ),
    _t(
        "statement",
        "According to {p.sur}, Ukrainian troops control {m} settlements in {r}.",
        "За словами {p.sur.gen}, українські війська контролюють {m} населених пунктів"
        " {в_uk:r.loc}.",
        "По словам {p.sur.gen}, украинские войска контролируют {m} населенных пунктов"
        " {в_ru:r.loc}.",
    ),
    _t(
        "statement",
        "According to {p}, the front line near {c} is stable.",
        "За словами {p.gen}, лінія фронту поблизу {c.gen} стабільна.",
        "По словам {p.gen}, линия фронта вблизи {c.gen} стабильна.",
    ),
    _t(
        "statement",
        "{p} called on residents of {c} to stay in shelters.",
        "{p.nom} {p|закликав|закликала} мешканців {c.gen} залишатися в укриттях.",
        "{p.nom} {p|призвал|призвала} жителей {c.gen} оставаться в укрытиях.",
    ),
    _t(
        "statement",
        "{p} has been appointed governor of {r}.",
        "{p.acc} призначено губернатором {r.gen}.",
        "{p.nom} {p|назначен|назначена} губернатором {r.gen}.",
    ),
    _t(
        "statement",
        "{p} criticized {q.sur}.",
        "{p.nom} {p|розкритикував|розкритикувала} {q.sur.acc}.",
        "{p.nom} {p|раскритиковал|раскритиковала} {q.sur.acc}.",
    ),
    # Meetings and diplomacy.
    _t(
        "diplomacy",
        "{p} met {q} in {c}.",
        "{p.nom} {p|зустрівся|зустрілася} {з_uk:q.ins} {в_uk:c.loc}.",
        "{p.nom} {p|встретился|встретилась} {с_ru:q.ins} {в_ru:c.loc}.",
    ),
    _t(
        "diplomacy",
        "{p} visited {c}.",
        "{p.nom} {p|відвідав|відвідала} {c.acc}.",
        "{p.nom} {p|посетил|посетила} {c.acc}.",
    ),
    _t(
        "diplomacy",
        "{p} thanked {q} for the support.",
        "{p.nom} {p|подякував|подякувала} {q.dat} за підтримку.",
        "{p.nom} {p|поблагодарил|поблагодарила} {q.acc} за поддержку.",
    ),
    _t(
        "diplomacy",
        "{p} spoke with {q.sur} by phone.",
        "{p.nom} {p|провів|провела} телефонну розмову {з_uk:q.sur.ins}.",
        "{p.nom} {p|провел|провела} телефонный разговор {с_ru:q.sur.ins}.",
    ),
    _t(
        "diplomacy",
        "{p} held talks with {q} in {k}.",
        "{p.nom} {p|провів|провела} переговори {з_uk:q.ins} {в_uk:k.loc}.",
        "{p.nom} {p|провел|провела} переговоры {с_ru:q.ins} {в_ru:k.loc}.",
    ),
    _t(
        "diplomacy",
        "{p} arrived in {c} on an official visit.",
        "{p.nom} {p|прибув|прибула} до {c.gen} з офіційним візитом.",
        "{p.nom} {p|прибыл|прибыла} {в_ru:c.acc} с официальным визитом.",
    ),
    _t(
        "diplomacy",
        "{p} will visit {k} next week.",
        "Наступного тижня {p.nom} відвідає {k.acc}.",
        "На следующей неделе {p.nom} посетит {k.acc}.",
    ),
    _t(
        "diplomacy",
        "{p} met the ambassador of {k}.",
        "{p.nom} {p|зустрівся|зустрілася} з послом {k.gen}.",
        "{p.nom} {p|встретился|встретилась} с послом {k.gen}.",
    ),
    # Evacuations.
    _t(
        "evacuation",
        "Authorities announced the evacuation of residents from {c}.",
        "Влада оголосила евакуацію мешканців {з_uk:c.gen}.",
        "Власти объявили эвакуацию жителей из {c.gen}.",
    ),
    _t(
        "evacuation",
        "{m} people were evacuated from {c}.",
        "{з_uk:c.gen} евакуювали {m} людей.",
        "Из {c.gen} эвакуировали {m} человек.",
    ),
    _t(
        "evacuation",
        "The evacuation of children from {r} continues.",
        "Триває евакуація дітей {з_uk:r.gen}.",
        "Продолжается эвакуация детей из {r.gen}.",
    ),
    _t(
        "evacuation",
        "{p} announced a mandatory evacuation from {c}.",
        "{p.nom} {p|оголосив|оголосила} обов'язкову евакуацію {з_uk:c.gen}.",
        "{p.nom} {p|объявил|объявила} обязательную эвакуацию из {c.gen}.",
    ),
    # Shelling.
    _t(
        "shelling",
        "Russian forces shelled {c} again.",
        "Російські війська знову обстріляли {c.acc}.",
        "Российские войска снова обстреляли {c.acc}.",
    ),
    _t(
        "shelling",
        "{m} civilians were killed in the shelling of {c}.",
        "Унаслідок обстрілу {c.gen} загинули {m} цивільних.",
        "В результате обстрела {c.gen} погибли {m} мирных жителей.",
    ),
    _t(
        "shelling",
        "The shelling of {c} damaged a school and {m} houses.",
        "Під час обстрілу {c.gen} пошкоджено школу та {m} будинків.",
        "При обстреле {c.gen} повреждены школа и {m} домов.",
    ),
    # Aid.
    _t(
        "aid",
        "{k} will send humanitarian aid to {c}.",
        "{k.nom} надішле гуманітарну допомогу до {c.gen}.",
        "{k.nom} отправит гуманитарную помощь {в_ru:c.acc}.",
    ),
    _t(
        "aid",
        "A convoy with humanitarian aid arrived in {c}.",
        "Колона з гуманітарною допомогою прибула до {c.gen}.",
        "Колонна с гуманитарной помощью прибыла {в_ru:c.acc}.",
    ),
    _t(
        "aid",
        "{p} thanked {k} for the aid.",
        "{p.nom} {p|подякував|подякувала} {k.dat} за допомогу.",
        "{p.nom} {p|поблагодарил|поблагодарила} {k.acc} за помощь.",
    ),
    _t(
        "aid",
        "Residents of {c} received {m} tonnes of aid.",
        "Мешканці {c.gen} отримали {m} тонн допомоги.",
        "Жители {c.gen} получили {m} тонн помощи.",
    ),
    # Units.
    _t(
        "units",
        "The {u} repelled an attack near {c}.",
        "{u.nom} відбила атаку поблизу {c.gen}.",
        "{u.nom} отбила атаку вблизи {c.gen}.",
    ),
    _t(
        "units",
        "Soldiers of the {u} destroyed a tank near {c}.",
        "Бійці {u.gen} знищили танк поблизу {c.gen}.",
        "Бойцы {u.gen} уничтожили танк вблизи {c.gen}.",
    ),
    _t(
        "units",
        "{p} awarded soldiers of the {u}.",
        "{p.nom} {p|нагородив|нагородила} бійців {u.gen}.",
        "{p.nom} {p|наградил|наградила} бойцов {u.gen}.",
    ),
)
