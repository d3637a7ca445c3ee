{#-
  Agent directory as a type-2 dimension: one row per agent version.
  A version starts at the first snapshot whose name, team, site, hire or termination date
  differs from the agent's previous snapshot. Validity is half-open [valid_from, valid_to):
  the first version starts at 1900-01-01 so facts older than the first delivered snapshot
  still join; the current version ends at 9999-12-31 (never null, so range joins stay simple).
  Agent ids seen in facts but never in the directory get an inferred member.
-#}

with

stg_telephony__agents as (
    select * from {{ ref('stg_telephony__agents') }}
),

stg_telephony__agent_states as (
    select * from {{ ref('stg_telephony__agent_states') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

snapshot_rows as (
    -- the same snapshot instant can be delivered twice: the later delivery wins
    select
        agent_id,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        snapshot_at,
        row_number() over (
            partition by agent_id, snapshot_at
            order by _delivery_seq desc, _source_row desc
        ) as delivery_rank
    from stg_telephony__agents
    where agent_id is not null and snapshot_at is not null
),

agent_snapshots as (
    -- one comparable value of every versioned attribute; null is a value of its own
    select
        agent_id,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        snapshot_at,
        {{ dbt.hash(dbt.concat([
            "coalesce(agent_name, '<null>')", "'|'",
            "coalesce(team, '<null>')", "'|'",
            "coalesce(site, '<null>')", "'|'",
            "coalesce(cast(hire_date as " ~ dbt.type_string() ~ "), '<null>')", "'|'",
            "coalesce(cast(termination_date as " ~ dbt.type_string() ~ "), '<null>')"
        ])) }} as attributes_hash
    from snapshot_rows
    where delivery_rank = 1
),

previous_snapshots as (
    select
        *,
        lag(attributes_hash) over (partition by agent_id order by snapshot_at) as previous_attributes_hash
    from agent_snapshots
),

change_flags as (
    -- the first snapshot of an agent, or any change against the previous snapshot, opens a version
    select
        agent_id,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        snapshot_at,
        case
            when previous_attributes_hash is null then 1
            when attributes_hash <> previous_attributes_hash then 1
            else 0
        end as is_new_version
    from previous_snapshots
),

numbered_snapshots as (
    select
        *,
        sum(is_new_version) over (
            partition by agent_id order by snapshot_at
            rows between unbounded preceding and current row
        ) as agent_version
    from change_flags
),

versions as (
    -- attributes are equal within a version, so any aggregate picks them
    select
        agent_id,
        agent_version,
        max(agent_name) as agent_name,
        max(team) as team,
        max(site) as site,
        max(hire_date) as hire_date,
        max(termination_date) as termination_date,
        min(snapshot_at) as first_snapshot_at,
        max(snapshot_at) as last_snapshot_at
    from numbered_snapshots
    group by agent_id, agent_version
),

directory_versions as (
    select
        agent_id,
        agent_version,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        first_snapshot_at,
        last_snapshot_at,
        case
            when agent_version = 1 then cast('1900-01-01 00:00:00' as timestamp)
            else first_snapshot_at
        end as valid_from,
        coalesce(
            lead(first_snapshot_at) over (partition by agent_id order by agent_version),
            cast('9999-12-31 00:00:00' as timestamp)
        ) as valid_to,
        lead(first_snapshot_at) over (partition by agent_id order by agent_version) is null as is_current,
        false as is_inferred
    from versions
),

fact_agent_ids as (
    select agent_id from stg_telephony__agent_states
    union
    select agent_id from int_contact_legs
    union
    select handling_agent_id as agent_id from int_interactions
    union
    select agent_id from int_survey_responses
),

inferred_versions as (
    -- orphan references are kept and mapped to an "unknown" member (landing contract)
    select
        fact_agent_ids.agent_id,
        1 as agent_version,
        'Unknown agent' as agent_name,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as {{ dbt.type_string() }}) as site,
        cast(null as date) as hire_date,
        cast(null as date) as termination_date,
        cast(null as timestamp) as first_snapshot_at,
        cast(null as timestamp) as last_snapshot_at,
        cast('1900-01-01 00:00:00' as timestamp) as valid_from,
        cast('9999-12-31 00:00:00' as timestamp) as valid_to,
        true as is_current,
        true as is_inferred
    from fact_agent_ids
    left join versions
        on fact_agent_ids.agent_id = versions.agent_id
    where
        fact_agent_ids.agent_id is not null
        and versions.agent_id is null
),

all_versions as (
    select * from directory_versions
    union all
    select * from inferred_versions
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'agent_id', "'|'",
            "coalesce(cast(first_snapshot_at as " ~ dbt.type_string() ~ "), 'inferred')"
        ])) }} as agent_version_key,
        agent_id,
        cast(agent_version as integer) as agent_version,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        valid_from,
        valid_to,
        is_current,
        is_inferred,
        first_snapshot_at,
        last_snapshot_at
    from all_versions
)

select * from final
