// Clients coming in (crm_clients/intake/runner.py): Leads' «Create Clients», imports of sheets and vCards.
// One way to show a run's result, and one listener for the end of every background run.

frappe.provide("crm_clients.intake_runs");

Object.assign(crm_clients.intake_runs, {
	DONE_EVENT: "crm_clients_intake_done",

	// the answer of a run started from the desk: the summary, or a background job (its summary comes later,
	// as a message from the job)
	show_result(result) {
		if (!result) return;
		if (result.job) {
			frappe.show_alert({
				message: __(
					"{0} records are processed in the background: a progress bar shows how far it is, a summary follows.",
					[result.total]
				),
				indicator: "blue",
			});
			return;
		}
		frappe.msgprint({ title: result.title, message: result.message, indicator: result.indicator });
	},

	// when a background run ends, the list it changed (Clients, Leads) shows its new state
	listen() {
		if (crm_clients.intake_runs.listening) return;
		crm_clients.intake_runs.listening = true;
		frappe.realtime.on(crm_clients.intake_runs.DONE_EVENT, (summary) => {
			if (window.cur_list && cur_list.doctype === summary.refresh) cur_list.refresh();
		});
	},
});
