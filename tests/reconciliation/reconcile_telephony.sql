-- Every delivered telephony row ends in exactly one place: staging (kept), superseded by a later
-- version of its key, or quarantine; every malformed line is quarantined (landing
-- contract: "never lose a row silently"). Returns the rows that break this.
{{ reconciliation_failures('telephony') }}
