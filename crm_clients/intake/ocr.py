"""Text of a photo with Tesseract OCR (Russian and English), through `pytesseract`.

Tesseract is a system program (packages tesseract-ocr, tesseract-ocr-rus, tesseract-ocr-eng); without it
`is_available()` is False and `recognise` refuses with a message that says so.
"""

import io

import frappe
from frappe import _

LANGUAGES = ("rus", "eng")
MIN_WIDTH = 1600  # smaller photos are enlarged: Tesseract reads small print better that way
TIMEOUT = 60  # seconds


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


def recognise(content: bytes) -> str:
	"""The text of an image (JPEG or PNG)."""
	import pytesseract

	languages = check_available()
	image = prepare(content)
	try:
		return pytesseract.image_to_string(image, lang="+".join(languages), timeout=TIMEOUT)
	except RuntimeError:  # pytesseract's timeout
		frappe.throw(_("Recognising the photo took too long: try a smaller or sharper photo."))


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
