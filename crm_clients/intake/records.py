"""What every way in reads its input into: a Record (a Client) with its Persons (contact persons)."""

from dataclasses import dataclass, field

from crm_clients.persons import Person


@dataclass
class Record:
	"""One incoming card or row: a Client and its contact persons; `number` is the row or card number."""

	number: int
	client_name: str = ""
	client_type: str = ""  # Company / Individual; "" = decided by the engine
	country: str = ""
	tax_id: str = ""
	kpp: str = ""
	industry: str = ""
	business_region: str = ""
	persons: list[Person] = field(default_factory=list)
	error: str = ""  # why the record could not be read (translated); the engine reports it as failed
