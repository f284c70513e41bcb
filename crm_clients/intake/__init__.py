"""Bringing in business cards and lists: spreadsheets, vCard files and photos of paper business cards.

Every way in reads its input into `records.Record`s (one Client with its contact persons each) and hands
them to one matching engine (`engine.import_records`), which matches or creates the Client and its
contact persons, one savepoint per record:

- `spreadsheet` — CSV/XLSX, one row per contact person, Russian or English headers; the template;
- `vcard` — .vcf files (vCard 2.1, 3.0, 4.0) through `vobject`;
- `card_text` and `ocr` — photos of business cards: Tesseract's text parsed into a Client and a person;
- `importer` — the whitelisted entry points' logic: permissions, files, background jobs, summaries;
- `business_cards` — a scanned card, checked by the user, saved through the engine.
"""
