{#-
  THE LANDING CONTRACT (../shared/spec/landing-contract.md), declared once.

  Every consumer reads this block: the base models' typing and validation and the quarantine
  record (macros/staging/contract.sql), the reconciliation, hotline/contract.py (Python
  landing: folders, required columns, multi-line fields; the gate; the sample-data
  generator) and the README's contract tables (python_tests/test_contract.py checks them).
  It is YAML between the two marker lines; Python reads the same text.

  Per entity (raw table): source, landing_folder, base_model, staging_model, key (natural
  key), staging_key (the staging model's grain when it is not the key), snapshot (true: each
  delivery is a full snapshot, the key repeats per snapshot), columns in contract order. Per column:
    required: true      a file without the column fails to load; an empty value quarantines
    type:               text (default) | timestamp | date | number | enum
    values: [...]       enum values (case-insensitive, trimmed on input)
    min / max:          allowed range of a number (inclusive)
    normalize: lower    text compared case-insensitively (trimmed and lower-cased)
    pii: mask           replaced by '***' wherever a raw record is shown (quarantine)
    pii: free_text      free text: e-mail addresses and digit runs masked when shown
    multiline: true     the value may legitimately contain line breaks
-#}
{% macro landing_contract_definition() -%}
{%- set definition -%}
# landing-contract:begin
contacts:
  source: telephony
  landing_folder: telephony/contacts
  base_model: base_telephony__contacts
  staging_model: stg_telephony__contacts
  key: [contact_id]
  description: >-
    One pass of a customer through the system: an inbound call until it is transferred or
    ends, a chat session, an outbound call.
  columns:
    contact_id: {required: true, description: unique id of the leg}
    initial_contact_id: {description: first leg of the interaction (null or = contact_id on the first leg)}
    previous_contact_id: {description: leg that transferred into this one}
    channel: {required: true, type: enum, values: [voice, chat]}
    direction: {required: true, type: enum, values: [inbound, outbound, callback]}
    customer_number: {pii: mask, description: "caller's phone number as delivered (PII)"}
    customer_account_id: {pii: mask, description: customer account id (PII)}
    dialed_number: {pii: mask, description: number or entry point the customer used (the customer's own number on outbound legs)}
    initiated_at: {required: true, type: timestamp, description: leg reached the system}
    ivr_ended_at: {type: timestamp, description: "customer left the IVR (null: no IVR on this leg)"}
    ivr_outcome: {type: enum, values: [self_service, agent_requested, abandoned], description: how the IVR part ended}
    queue_id: {description: "queue the leg waited in (null: never queued)"}
    enqueued_at: {type: timestamp, description: leg entered the queue}
    answered_at: {type: timestamp, description: an agent was connected}
    agent_id: {description: agent who answered}
    talk_seconds: {type: number, min: 0, description: 'agent-customer conversation time, excluding hold'}
    hold_seconds: {type: number, min: 0, description: customer on hold}
    acw_seconds: {type: number, min: 0, description: after-contact work by the agent}
    ended_at: {required: true, type: timestamp, description: customer side of the leg ended}
    disconnect_reason:
      required: true
      type: enum
      values: [customer_disconnect, agent_disconnect, transfer, queue_timeout, system]
    wrap_code: {description: reason/category tagged by the agent}
    last_updated_at: {type: timestamp, description: "source's last update of this record"}
agent_states:
  source: telephony
  landing_folder: telephony/agent_states
  base_model: base_telephony__agent_states
  staging_model: stg_telephony__agent_states
  key: [agent_id, started_at]
  description: One agent state interval; logged-in time is every state except offline.
  columns:
    agent_id: {required: true}
    state:
      required: true
      type: enum
      values: [available, on_contact, after_contact_work, break, meeting, training, offline]
    started_at: {required: true, type: timestamp}
    ended_at: {required: true, type: timestamp, description: after started_at}
agents:
  source: telephony
  landing_folder: telephony/agents
  base_model: base_telephony__agents
  staging_model: stg_telephony__agents
  key: [agent_id]
  # staging keeps every snapshot row (dim_agents builds the type-2 history from them)
  staging_key: [agent_id, _delivery_seq]
  snapshot: true
  description: >-
    Full snapshot of the agent directory per delivery; history of team changes is kept
    (type 2) across deliveries.
  columns:
    agent_id: {required: true}
    agent_name: {pii: mask, description: the agent's name (PII)}
    team: {}
    site: {}
    hire_date: {type: date}
    termination_date: {type: date}
    updated_at: {type: timestamp}
queues:
  source: telephony
  landing_folder: telephony/queues
  base_model: base_telephony__queues
  staging_model: stg_telephony__queues
  key: [queue_id]
  snapshot: true
  description: Full snapshot of the queue configuration per delivery.
  columns:
    queue_id: {required: true}
    queue_name: {required: true}
    channel: {required: true, type: enum, values: [voice, chat]}
    service_level_seconds: {type: number, min: 0, description: 'answer threshold for this queue (default from config, 20)'}
    service_level_target: {type: number, min: 0, max: 1, description: target share answered within the threshold (default 0.8)}
    business_unit: {}
    updated_at: {type: timestamp}
tickets:
  source: ticketing
  landing_folder: ticketing/tickets
  base_model: base_ticketing__tickets
  staging_model: stg_ticketing__tickets
  key: [ticket_id]
  description: >-
    Changed tickets (current state of each ticket); the larger updated_at wins, ties by the
    later delivery.
  columns:
    ticket_id: {required: true}
    created_at: {required: true, type: timestamp}
    updated_at: {required: true, type: timestamp}
    source_channel: {required: true, type: enum, values: [voice, chat, email, web, social]}
    origin_contact_id: {description: contact leg that created the ticket}
    customer_account_id: {pii: mask, description: PII}
    requester_email: {pii: mask, normalize: lower, description: PII}
    priority: {required: true, type: enum, values: [urgent, high, normal, low]}
    category: {}
    status: {required: true, type: enum, values: [new, open, pending, solved, closed], description: current status}
    assigned_group: {}
    assignee_agent_id: {}
    subject: {pii: free_text, multiline: true, description: free text (may contain PII)}
ticket_events:
  source: ticketing
  landing_folder: ticketing/ticket_events
  base_model: base_ticketing__ticket_events
  staging_model: stg_ticketing__ticket_events
  key: [event_id]
  description: Append-only ticket event log; agent_reply is a public reply to the customer, comment is internal.
  columns:
    event_id: {required: true}
    ticket_id: {required: true}
    occurred_at: {required: true, type: timestamp}
    event_type:
      required: true
      type: enum
      values: [created, assigned, agent_reply, customer_reply, status_changed, priority_changed, escalated, comment]
    actor_type: {required: true, type: enum, values: [agent, customer, system]}
    actor_agent_id: {}
    from_value: {description: previous status/priority/group}
    to_value: {description: new status/priority/group}
survey_responses:
  source: survey
  landing_folder: survey/responses
  base_model: base_survey__responses
  staging_model: stg_survey__responses
  key: [response_id]
  description: Survey responses.
  columns:
    response_id: {required: true}
    survey_type: {required: true, type: enum, values: [csat, nps, ces]}
    contact_id: {description: contact leg surveyed}
    ticket_id: {description: ticket surveyed}
    channel: {normalize: lower, description: channel the survey was sent on}
    sent_at: {type: timestamp}
    responded_at: {required: true, type: timestamp}
    score: {required: true, type: number, min: 0, description: 'csat 1-5, nps 0-10, ces 1-7'}
    issue_resolved: {type: enum, values: ['yes', 'no'], description: 'answer to "was your issue resolved?"'}
    comment: {pii: free_text, multiline: true, description: free text (may contain PII)}
# landing-contract:end
{%- endset -%}
{{ return(fromyaml(definition)) }}
{%- endmacro %}
