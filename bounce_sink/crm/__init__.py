"""crm: tells the CRM about every result, at least once, in order per contact.

`outbox.enqueue` (called by the policy inside its transaction) writes events;
`worker.run_sync` drains them through one adapter (`webhook`, `dataverse`,
`csv`; see `adapter.CrmAdapter` and the registry in `adapters`), with leases
and backoff in `claims`/`backoff`; `health` and `dead_letters` are what admins
see; `inbound` and `address_change` carry address changes from the CRM back to
the policy. docs/crm-sync.md is the operator's description.
"""
