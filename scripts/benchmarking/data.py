"""What the benchmark's records look like: Russian-looking names, valid ИНН/КПП, skewed masters.

Pure Python (no Frappe): record `index` always gives the same values, so a fill that stops half-way
continues where it stopped, and Client i and Customer i have the same name and tax ID (the two
registries have the same shape, and a fragment searched in one is found in the other).
"""

import random

from crm_clients.tax_ids import make_inn

RUSSIA = "Russian Federation"

INDUSTRIES = [
	"Розничная торговля",
	"Оптовая торговля",
	"Строительство",
	"Производство",
	"Информационные технологии",
	"Логистика",
	"Финансы",
	"Здравоохранение",
	"Образование",
	"Сельское хозяйство",
	"Энергетика",
	"Телекоммуникации",
	"Недвижимость",
	"Туризм",
	"Общественное питание",
	"Медиа",
	"Консалтинг",
	"Автомобили",
	"Химия",
	"Металлургия",
]
REGIONS = [
	"Москва",
	"Санкт-Петербург",
	"Центр",
	"Северо-Запад",
	"Юг",
	"Поволжье",
	"Урал",
	"Сибирь",
	"Дальний Восток",
	"Северный Кавказ",
	"Калининград",
	"Крым",
	"СНГ",
	"Европа",
	"Азия",
]
# the tax office codes (first 2 digits of an ИНН) of each region
REGION_CODES = [77, 78, 50, 47, 23, 16, 66, 54, 25, 26, 39, 91, 55, 63, 72]

ADJECTIVES = [
	"Северная",
	"Южная",
	"Восточная",
	"Западная",
	"Центральная",
	"Сибирская",
	"Уральская",
	"Волжская",
	"Балтийская",
	"Новая",
	"Первая",
	"Столичная",
	"Красная",
	"Белая",
	"Золотая",
	"Быстрая",
]
NOUNS = [
	"Звезда",
	"Ромашка",
	"Берёза",
	"Механика",
	"Энергия",
	"Логистика",
	"Торговля",
	"Система",
	"Линия",
	"Компания",
	"Мануфактура",
	"Гавань",
	"Сеть",
	"Техника",
	"Долина",
	"Нива",
	"Марка",
	"Волна",
	"Пристань",
	"Слобода",
]
WORDS = [
	"Вектор",
	"Альянс",
	"Гранит",
	"Меридиан",
	"Прогресс",
	"Импульс",
	"Феникс",
	"Атлант",
	"Орион",
	"Квант",
	"Магистраль",
	"Техстрой",
	"Стройинвест",
	"Агроресурс",
	"Профит",
	"Ресурс",
	"Горизонт",
	"Спектр",
	"Рубин",
	"Омега",
]
COMPANY_FORMS = ["ООО", "ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО"]
FOREIGN = [
	("Germany", "GmbH", "DE"),
	("United Kingdom", "Ltd", "GB"),
	("United States", "Inc", "US"),
	("Kazakhstan", "LLP", "KZ"),
	("China", "Co Ltd", "CN"),
]
FOREIGN_WORDS = [
	"Nordic",
	"Global",
	"Alpine",
	"Pacific",
	"Atlas",
	"Vertex",
	"Summit",
	"Orbit",
	"Delta",
	"Nova",
]
FOREIGN_NOUNS = ["Trading", "Systems", "Logistics", "Partners", "Industries", "Holding", "Solutions", "Foods"]
MALE_FIRST = [
	"Александр",
	"Сергей",
	"Дмитрий",
	"Андрей",
	"Алексей",
	"Иван",
	"Михаил",
	"Николай",
	"Павел",
	"Олег",
]
FEMALE_FIRST = [
	"Елена",
	"Ольга",
	"Наталья",
	"Анна",
	"Татьяна",
	"Мария",
	"Ирина",
	"Светлана",
	"Юлия",
	"Екатерина",
]
MIDDLE = ["Иванович", "Сергеевич", "Петрович", "Александрович", "Николаевич", "Андреевич"]
FEMALE_MIDDLE = ["Ивановна", "Сергеевна", "Петровна", "Александровна", "Николаевна", "Андреевна"]
SURNAMES = [
	"Иванов",
	"Смирнов",
	"Кузнецов",
	"Попов",
	"Васильев",
	"Петров",
	"Соколов",
	"Михайлов",
	"Новиков",
	"Фёдоров",
	"Морозов",
	"Волков",
	"Алексеев",
	"Лебедев",
	"Семёнов",
	"Егоров",
	"Павлов",
	"Козлов",
	"Степанов",
	"Николаев",
	"Орлов",
	"Андреев",
	"Макаров",
	"Никитин",
	"Захаров",
	"Зайцев",
	"Соловьёв",
	"Борисов",
	"Яковлев",
	"Григорьев",
	"Романов",
	"Воробьёв",
	"Сергеев",
	"Кузьмин",
	"Фролов",
	"Александров",
	"Дмитриев",
	"Королёв",
	"Гусев",
	"Киселёв",
	"Ильин",
	"Максимов",
	"Поляков",
	"Сорокин",
	"Виноградов",
	"Ковалёв",
	"Белов",
	"Медведев",
	"Антонов",
	"Тарасов",
]
DESIGNATIONS = ["Генеральный директор", "Менеджер по закупкам", "Главный бухгалтер", "Коммерческий директор"]
TRANSLIT = str.maketrans(
	{
		"а": "a",
		"б": "b",
		"в": "v",
		"г": "g",
		"д": "d",
		"е": "e",
		"ё": "e",
		"ж": "zh",
		"з": "z",
		"и": "i",
		"й": "y",
		"к": "k",
		"л": "l",
		"м": "m",
		"н": "n",
		"о": "o",
		"п": "p",
		"р": "r",
		"с": "s",
		"т": "t",
		"у": "u",
		"ф": "f",
		"х": "h",
		"ц": "ts",
		"ч": "ch",
		"ш": "sh",
		"щ": "sch",
		"ъ": "",
		"ы": "y",
		"ь": "",
		"э": "e",
		"ю": "yu",
		"я": "ya",
	}
)

# Serial numbers of ИНН: the fill uses 0 … 4,999,999, the intake of each run takes a block above
INTAKE_SERIAL_START = 5_000_000


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
	return [1 / (rank + 1) ** exponent for rank in range(count)]


def skewed(rng: random.Random, count: int, exponent: float = 1.1) -> int:
	"""An index 0 … count-1 drawn Zipf-like: index 0 is the most common."""
	return rng.choices(range(count), weights=zipf_weights(count, exponent))[0]


def scramble(serial: int, digits: int) -> int:
	"""A bijection of 0 … 10**digits-1 (the serial part of an ИНН looks random, stays unique)."""
	modulus = 10**digits
	return (serial * 7_919_993 + 1_234_567) % modulus  # 7919993 is prime to 10**digits


def company_inn(region: int, serial: int) -> str:
	return make_inn(f"{REGION_CODES[region]:02d}{scramble(serial, 7):07d}")


def person_inn(region: int, serial: int) -> str:
	return make_inn(f"{REGION_CODES[region]:02d}{scramble(serial, 8):08d}")


def kpp_of(inn: str) -> str:
	return f"{inn[:4]}01001"


def latin(text: str) -> str:
	return text.lower().translate(TRANSLIT)


def person(rng: random.Random) -> dict:
	surname = rng.choice(SURNAMES)
	if rng.random() < 0.5:
		return {"first_name": rng.choice(MALE_FIRST), "middle_name": rng.choice(MIDDLE), "last_name": surname}
	return {
		"first_name": rng.choice(FEMALE_FIRST),
		"middle_name": rng.choice(FEMALE_MIDDLE),
		"last_name": surname + "а",
	}


def organisation(index: int, serial: int | None = None) -> dict:
	"""The organisation number `index`: client_name, client_type, country, tax_id, kpp, industry and region
	(indexes into INDUSTRIES / REGIONS). 70 % Russian companies, 20 % ИП (individuals), 10 % foreign."""
	rng = random.Random(index)
	serial = index if serial is None else serial
	industry = skewed(rng, len(INDUSTRIES))
	region = skewed(rng, len(REGIONS) - 3)  # the three foreign regions are for foreign companies
	kind = rng.random()
	if kind < 0.7:
		form = rng.choice(COMPANY_FORMS)
		if rng.random() < 0.5:
			title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}-{index}"
		else:
			title = f"{rng.choice(WORDS)}-{index}"
		inn = company_inn(region, serial)
		return {
			"client_name": f"{form} «{title}»",
			"client_type": "Company",
			"country": RUSSIA,
			"tax_id": inn,
			"kpp": kpp_of(inn),
			"industry": industry,
			"region": region,
		}
	if kind < 0.9:
		owner = person(rng)
		initials = f"{owner['first_name'][0]}. {owner['middle_name'][0]}."
		return {
			"client_name": f"ИП {owner['last_name']} {initials}",
			"client_type": "Individual",
			"country": RUSSIA,
			"tax_id": person_inn(region, serial),
			"kpp": None,
			"industry": industry,
			"region": region,
		}
	country, form, prefix = rng.choice(FOREIGN)
	return {
		"client_name": f"{rng.choice(FOREIGN_WORDS)} {rng.choice(FOREIGN_NOUNS)}-{index} {form}",
		"client_type": "Company",
		"country": country,
		"tax_id": f"{prefix}{scramble(serial, 9):09d}",
		"kpp": None,
		"industry": industry,
		"region": len(REGIONS) - 3 + rng.randrange(3),
	}


def contact_person(index: int, number: int, kind: str) -> dict:
	"""Contact person `number` (0, 1) of organisation `index`; `kind` keeps e-mails and phones apart
	(c: Clients, u: Customers, l: Leads, w: the workers' Leads, i: intake)."""
	rng = random.Random(f"{kind}-{index}-{number}")
	values = person(rng)
	values["designation"] = rng.choice(DESIGNATIONS)
	values["email"] = f"{latin(values['last_name'])}.{kind}{index}.{number}@example.ru"
	code = {"c": 900, "u": 910, "l": 920, "w": 940, "i": 950}.get(kind, 960)
	values["phone"] = f"+7 {code + number} {index:07d}"
	return values


def word_of(name: str, position: int = 1) -> str:
	"""The name's word at `position`, without quotes: «ООО «Северная Звезда-12»» → Северная."""
	words = [word.strip("«»\"'.,") for word in name.split()]
	words = [word for word in words if word]
	return words[min(position, len(words) - 1)]
