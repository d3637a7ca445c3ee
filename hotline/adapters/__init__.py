"""Native source adapters: real exports (Asterisk queue_log, Amazon Connect contact records,
Zendesk incremental exports) landed as raw text/JSON; the mapping to the landing contract is
done in dbt (models/staging/asterisk, amazon_connect, zendesk). See
../shared/spec/source-adapters.md and DECISIONS.md, "Source adapters"."""
