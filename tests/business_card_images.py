"""Business cards rendered with Pillow for the OCR tests: Russian and English, several layouts and fonts.

Each card is a `CardSpec` (what is printed, i.e. what the recognition should find) and its PNG image.
"""

from dataclasses import dataclass, field
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONTS = (
	("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
	("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
	("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
	("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
	("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
	("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
)
# a font some systems lack (fonts-liberation 2 has no Liberation Sans Narrow: Debian sid ships it in
# fonts-liberation-sans-narrow): the narrow face of another installed family instead
FALLBACKS = {
	"LiberationSansNarrow-Regular.ttf": "DejaVuSansCondensed.ttf",
	"LiberationSansNarrow-Bold.ttf": "DejaVuSansCondensed-Bold.ttf",
}
LAYOUTS = ("left", "centered", "two_columns", "banner")
WIDTH, HEIGHT = 1050, 600  # 3.5 × 2 inches at 300 dpi


@dataclass
class CardSpec:
	lang: str
	organisation: str
	first_name: str
	last_name: str
	designation: str
	phones: list[str]
	emails: list[str]
	website: str = ""
	address: str = ""
	inn: str = ""
	middle_name: str = ""
	russian_name_order: bool = False  # «Фамилия Имя Отчество» as printed on Russian cards
	layout: str = "left"
	fonts: tuple = field(default=FONTS[0])

	def person_line(self) -> str:
		if self.russian_name_order:
			return " ".join(filter(None, (self.last_name, self.first_name, self.middle_name)))
		return " ".join(filter(None, (self.first_name, self.last_name)))


RUSSIAN_CARDS = [
	(
		"ООО «Ромашка»",
		"Иван",
		"Петров",
		"Сергеевич",
		"Генеральный директор",
		["+7 (495) 123-45-67", "+7 916 765-43-21"],
		["i.petrov@romashka.ru"],
		"www.romashka.ru",
		"г. Москва, ул. Ленина, д. 10",
		"7707083893",
	),
	(
		"АО «Северный ветер»",
		"Мария",
		"Смирнова",
		"Олеговна",
		"Менеджер по продажам",
		["8 (812) 555-12-12"],
		["smirnova@sever-veter.ru"],
		"sever-veter.ru",
		"г. Санкт-Петербург, Невский пр., д. 28",
		"",
	),
	(
		"ПАО «Уральские машины»",
		"Алексей",
		"Кузнецов",
		"Игоревич",
		"Коммерческий директор",
		["+7 343 210-00-15"],
		["kuznetsov@uralmash.ru"],
		"www.uralmash.ru",
		"г. Екатеринбург, ул. Мира, д. 3",
		"6663003127",
	),
	(
		"ООО «Техностиль»",
		"Елена",
		"Волкова",
		"",
		"Главный бухгалтер",
		["+7 (383) 222-33-44", "+7 913 111-22-33"],
		["volkova@technostyle.ru"],
		"technostyle.ru",
		"",
		"",
	),
	(
		"ЗАО «Восток-Сервис»",
		"Дмитрий",
		"Орлов",
		"Павлович",
		"Руководитель отдела закупок",
		["8 800 555-35-35"],
		["orlov@vostok-service.ru", "info@vostok-service.ru"],
		"",
		"г. Владивосток, ул. Светланская, д. 5",
		"",
	),
	(
		"ООО «Зелёная долина»",
		"Ольга",
		"Новикова",
		"Андреевна",
		"Директор по развитию",
		["+7 (861) 234-56-78"],
		["o.novikova@zdolina.ru"],
		"www.zdolina.ru",
		"",
		"2310031475",
	),
	(
		"АО «Балтийский порт»",
		"Сергей",
		"Морозов",
		"",
		"Начальник отдела логистики",
		["+7 (4012) 53-11-22"],
		["morozov@baltport.ru"],
		"baltport.ru",
		"г. Калининград, ул. Портовая, д. 1",
		"",
	),
	(
		"ООО «Сибирский лес»",
		"Анна",
		"Лебедева",
		"Викторовна",
		"Специалист по закупкам",
		["+7 391 200-40-50", "+7 923 300-40-50"],
		["lebedeva@siblesprom.ru"],
		"",
		"г. Красноярск, пр. Мира, д. 7",
		"",
	),
	(
		"ИП Соколов Андрей Николаевич",
		"Андрей",
		"Соколов",
		"Николаевич",
		"Индивидуальный предприниматель",
		["+7 905 123-00-99"],
		["sokolov.an@mail.ru"],
		"",
		"",
		"500100732259",
	),
	(
		"ООО «Волга-Трейд»",
		"Павел",
		"Егоров",
		"",
		"Менеджер проекта",
		["+7 (8442) 39-00-10"],
		["egorov@volga-trade.ru"],
		"www.volga-trade.ru",
		"г. Волгоград, ул. Мира, д. 12",
		"",
	),
	(
		"АО «Кристалл»",
		"Наталья",
		"Фёдорова",
		"Ивановна",
		"Финансовый директор",
		["+7 (495) 987-65-43"],
		["fedorova@kristall.ru"],
		"kristall.ru",
		"",
		"7701234568",
	),
	(
		"ООО «Альфа Логистик»",
		"Виктор",
		"Зайцев",
		"Петрович",
		"Директор",
		["+7 (812) 640-20-20", "+7 921 640-20-21"],
		["zaytsev@alfa-logistic.ru"],
		"www.alfa-logistic.ru",
		"г. Санкт-Петербург, ул. Садовая, д. 2",
		"",
	),
]

ENGLISH_CARDS = [
	(
		"Northwind Traders Ltd",
		"John",
		"Smith",
		"Sales Director",
		["+1 (212) 555-0147"],
		["john.smith@northwind.com"],
		"www.northwind.com",
		"350 Fifth Avenue, New York, NY 10118",
	),
	(
		"Blue Harbor LLC",
		"Emily",
		"Johnson",
		"Marketing Manager",
		["+1 415 555 0123", "+1 415 555 0199"],
		["emily@blueharbor.com"],
		"blueharbor.com",
		"",
	),
	(
		"Acme Robotics Inc.",
		"Michael",
		"Brown",
		"Chief Executive Officer",
		["+1 (650) 555-0110"],
		["m.brown@acmerobotics.com"],
		"www.acmerobotics.com",
		"1 Infinite Loop, Cupertino, CA 95014",
	),
	(
		"Greenfield Logistics GmbH",
		"Anna",
		"Schmidt",
		"Head of Procurement",
		["+49 30 1234567"],
		["anna.schmidt@greenfield.de"],
		"greenfield.de",
		"Friedrichstrasse 10, 10117 Berlin",
	),
	(
		"Oakwood Partners Ltd",
		"David",
		"Wilson",
		"Account Manager",
		["+44 20 7946 0958"],
		["d.wilson@oakwood.co.uk"],
		"www.oakwood.co.uk",
		"12 Baker Street, London",
	),
	(
		"Sunrise Foods Corp",
		"Sarah",
		"Miller",
		"Purchasing Manager",
		["+1 (312) 555-0177", "+1 312 555 0178"],
		["sarah.miller@sunrisefoods.com"],
		"",
		"",
	),
	(
		"Silverline Software LLC",
		"James",
		"Taylor",
		"Business Development Manager",
		["+1 (206) 555-0133"],
		["james@silverline.io"],
		"silverline.io",
		"500 Pine Street, Seattle, WA 98101",
	),
	(
		"Nordic Steel AB",
		"Erik",
		"Larsson",
		"Sales Engineer",
		["+46 8 123 456 78"],
		["erik.larsson@nordicsteel.se"],
		"www.nordicsteel.se",
		"",
	),
	(
		"Redwood Consulting Inc.",
		"Laura",
		"Davis",
		"Senior Consultant",
		["+1 (916) 555-0164"],
		["laura.davis@redwoodconsulting.com"],
		"redwoodconsulting.com",
		"",
	),
	(
		"Atlas Shipping Ltd",
		"Thomas",
		"Clark",
		"Operations Director",
		["+44 161 496 0321"],
		["t.clark@atlasshipping.co.uk"],
		"",
		"25 Dock Road, Manchester",
	),
	(
		"Brightstar Media LLC",
		"Olivia",
		"Moore",
		"Creative Director",
		["+1 (323) 555-0186"],
		["olivia@brightstarmedia.com"],
		"www.brightstarmedia.com",
		"",
	),
	(
		"Pioneer Energy Corp",
		"Robert",
		"King",
		"Project Manager",
		["+1 (713) 555-0152", "+1 713 555 0153"],
		["robert.king@pioneerenergy.com"],
		"pioneerenergy.com",
		"700 Louisiana Street, Houston, TX 77002",
	),
]


def card_specs() -> list[CardSpec]:
	specs = []
	for index, (org, first, last, middle, position, phones, emails, site, address, inn) in enumerate(
		RUSSIAN_CARDS
	):
		specs.append(
			CardSpec(
				"ru",
				org,
				first,
				last,
				position,
				phones,
				emails,
				site,
				address,
				inn,
				middle,
				russian_name_order=index % 3 != 2,
				layout=LAYOUTS[index % len(LAYOUTS)],
				fonts=FONTS[index % len(FONTS)],
			)
		)
	for index, (org, first, last, position, phones, emails, site, address) in enumerate(ENGLISH_CARDS):
		specs.append(
			CardSpec(
				"en",
				org,
				first,
				last,
				position,
				phones,
				emails,
				site,
				address,
				layout=LAYOUTS[(index + 1) % len(LAYOUTS)],
				fonts=FONTS[(index + 3) % len(FONTS)],
			)
		)
	return specs


def font_path(name: str) -> str:
	for candidate in (name, FALLBACKS.get(name)):
		for folder in FONT_DIRS if candidate else ():
			if (folder / candidate).exists():
				return str(folder / candidate)
	raise FileNotFoundError(name)


def contact_lines(spec: CardSpec) -> list[str]:
	ru = spec.lang == "ru"
	lines = []
	for index, phone in enumerate(spec.phones):
		mobile = index == 1
		label = ("Моб.: " if mobile else "Тел.: ") if ru else ("Mobile: " if mobile else "Tel: ")
		lines.append(label + phone)
	lines += ["E-mail: " + email for email in spec.emails]
	if spec.website:
		lines.append(spec.website)
	if spec.address:
		lines.append(spec.address)
	if spec.inn:
		lines.append("ИНН " + spec.inn)
	return lines


def render(spec: CardSpec):
	from PIL import Image, ImageDraw, ImageFont

	regular, bold = (font_path(name) for name in spec.fonts)
	background, ink, accent = "white", (20, 20, 30), (30, 60, 140)
	if spec.layout == "banner":
		background = (250, 246, 235)
	image = Image.new("RGB", (WIDTH, HEIGHT), background)
	draw = ImageDraw.Draw(image)
	org_font = ImageFont.truetype(bold, 40)
	name_font = ImageFont.truetype(bold, 30 if spec.layout == "two_columns" else 34)
	text_font = ImageFont.truetype(regular, 22 if spec.layout == "two_columns" else 26)
	small_font = ImageFont.truetype(regular, 21 if spec.layout == "two_columns" else 24)

	head = [
		(spec.organisation, org_font, accent),
		(spec.person_line(), name_font, ink),
		(spec.designation, text_font, ink),
	]
	details = [(line, small_font, ink) for line in contact_lines(spec)]

	if spec.layout == "left":
		draw_block(draw, [*head, ("", small_font, ink), *details], 60, 40)
	elif spec.layout == "centered":
		draw_block(draw, [*head, ("", small_font, ink), *details], None, 40, centered=True)
	elif spec.layout == "two_columns":
		# the organisation across the top, the person on the left, the contacts on the right
		draw_block(draw, head[:1], 40, 40)
		draw.line([(WIDTH // 2 - 20, 130), (WIDTH // 2 - 20, HEIGHT - 40)], fill=accent, width=3)
		draw_block(draw, head[1:], 40, 150)
		draw_block(draw, details, WIDTH // 2, 150)
	else:  # banner: the organisation on a coloured band, the rest below
		draw.rectangle([(0, 0), (WIDTH, 110)], fill=accent)
		draw_block(draw, [(spec.organisation, org_font, "white")], 50, 30)
		draw_block(draw, [*head[1:], ("", small_font, ink), *details], 50, 140)
	return image


def draw_block(draw, lines, x, y, centered=False):
	for text, font, colour in lines:
		if text:
			left = x
			if centered:
				width = draw.textlength(text, font=font)
				left = (WIDTH - width) / 2
			draw.text((left, y), text, font=font, fill=colour)
		y += int(font.size * 1.45)


def photographed(image, index: int):
	"""As a phone would take it: the card a little turned on a darker table, softer, smaller."""
	from PIL import Image, ImageFilter

	angle = (-1.5, 0.8, -0.6, 1.2, 0.0)[index % 5]
	table = (95, 90, 85) if index % 2 else (170, 165, 160)
	photo = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=table)
	framed = Image.new("RGB", (photo.width + 80, photo.height + 60), table)
	framed.paste(photo, (40, 30))
	framed = framed.filter(ImageFilter.GaussianBlur(radius=0.7))
	scale = (0.9, 0.75, 1.0)[index % 3]
	return framed.resize((round(framed.width * scale), round(framed.height * scale)), Image.LANCZOS)


def write_cards(folder: Path) -> list[tuple[CardSpec, Path]]:
	"""Every card as a photo: PNG for the even ones, JPEG (quality 80) for the odd ones."""
	folder.mkdir(parents=True, exist_ok=True)
	cards = []
	for index, spec in enumerate(card_specs(), start=1):
		image = photographed(render(spec), index)
		extension = "jpg" if index % 2 else "png"
		path = folder / f"card-{index:02d}-{spec.lang}-{spec.layout}.{extension}"
		image.save(path, quality=80) if extension == "jpg" else image.save(path)
		cards.append((spec, path))
	return cards
