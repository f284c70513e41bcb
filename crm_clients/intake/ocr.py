"""Text of a photo with Tesseract OCR (Russian and English), through `pytesseract`.

Tesseract is a system program (packages tesseract-ocr, tesseract-ocr-rus, tesseract-ocr-eng); without it
`is_available()` is False and `recognise` refuses with a message that says so. A recognition that takes longer
than `time_limit()` seconds (60, or the site config's `crm_clients_card_scan_timeout`) is stopped (Tesseract's
process is killed) and refused with a message naming the limit.
"""

import io
import os

import frappe
from frappe import _

LANGUAGES = ("rus", "eng")
MIN_WIDTH = 1600  # smaller photos are enlarged: Tesseract reads small print better that way
TIMEOUT = 60  # seconds, unless the site config says otherwise (TIMEOUT_CONFIG)
TIMEOUT_CONFIG = "crm_clients_card_scan_timeout"
RULES = {"|", "¦", "‖"}
COLUMN_GAP = 2.5  # a gap between two words wider than this many line heights separates two columns


def installed_languages() -> list[str]:
	"""The languages Tesseract has of ours; [] without Tesseract (or pytesseract)."""
	try:
		import pytesseract

		return [lang for lang in LANGUAGES if lang in pytesseract.get_languages(config="")]
	except Exception:
		return []


def is_available() -> bool:
	return bool(installed_languages())


def check_available() -> list[str]:
	languages = installed_languages()
	if not languages:
		frappe.throw(
			_(
				"Business card recognition needs Tesseract OCR on the server (packages tesseract-ocr, tesseract-ocr-rus and tesseract-ocr-eng): ask your administrator to install it. Importing spreadsheets and vCard files works without it."
			),
			title=_("Text recognition is not installed"),
		)
	return languages


def time_limit() -> float:
	"""Seconds a recognition may take: the site config's `crm_clients_card_scan_timeout`, else 60."""
	try:
		limit = float(frappe.conf.get(TIMEOUT_CONFIG) or TIMEOUT)
	except (TypeError, ValueError):
		limit = TIMEOUT
	return limit if limit > 0 else TIMEOUT


def recognise(content: bytes) -> str:
	"""The text of an image (JPEG or PNG), within `time_limit()` seconds."""
	import pytesseract

	languages = check_available()
	image = prepare(content)
	limit = time_limit()
	# one thread per recognition: a worker must not take every core, and results stay repeatable
	os.environ.setdefault("OMP_THREAD_LIMIT", "1")
	try:
		data = pytesseract.image_to_data(
			image, lang="+".join(languages), timeout=limit, output_type=pytesseract.Output.DICT
		)
	except pytesseract.TesseractError as error:
		frappe.throw(
			_("Tesseract could not read the photo: {0}").format(error.message or error.status),
			title=_("Scan Business Card"),
		)
	except RuntimeError:  # pytesseract's timeout: it has killed Tesseract
		frappe.throw(
			_(
				"Recognising the photo took longer than the limit of {0} seconds and was stopped; nothing was saved. Try a smaller or sharper photo."
			).format(f"{limit:g}"),
			title=_("Scan Business Card"),
		)
	return text_from_words(data)


def text_from_words(data: dict) -> str:
	"""Tesseract's words put back into lines, a line being cut where a wide gap separates two columns.

	Cards often have the person on the left and the contacts on the right; Tesseract may read both as one
	line ("Алексей Кузнецов www.uralmash.ru"), which would mix a name with a website."""
	lines: dict[tuple, list] = {}
	for index, word in enumerate(data["text"]):
		if not word.strip():
			continue
		key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
		box = (data["left"][index], data["top"][index], data["width"][index], data["height"][index])
		lines.setdefault(key, []).append((box, word.strip()))
	segments = []
	for words in lines.values():
		words.sort(key=lambda item: item[0][0])
		height = sorted(box[3] for box, _word in words)[len(words) // 2]
		current, right = [], None
		for box, word in words:
			if word in RULES:  # a printed vertical rule between two columns
				segments.append(current)
				current = []
				continue
			if current and box[0] - right > COLUMN_GAP * height:
				segments.append(current)
				current = []
			current.append((box, word))
			right = box[0] + box[2]
		segments.append(current)
	segments = [segment for segment in segments if segment]
	return "\n".join(" ".join(word for _box, word in segment) for segment in segments)


def prepare(content: bytes):
	"""Upright (the phone's EXIF orientation), grey, enlarged when small, contrast stretched."""
	from PIL import Image, ImageOps, UnidentifiedImageError

	try:
		image = Image.open(io.BytesIO(content))
		image.load()
	except (UnidentifiedImageError, OSError):
		frappe.throw(_("The file is not a photo that can be read: upload a JPEG or PNG image."))
	image = ImageOps.exif_transpose(image).convert("L")
	if image.width < MIN_WIDTH:
		scale = MIN_WIDTH / image.width
		image = image.resize((MIN_WIDTH, round(image.height * scale)), Image.LANCZOS)
	return ImageOps.autocontrast(image, cutoff=1)
