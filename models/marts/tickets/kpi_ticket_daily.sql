-- Daily ticket KPIs per priority (spec "Tickets" and "kpi_ticket_daily"). Dense: every
-- priority that has tickets x every local date from the first ticket date through the
-- as_of date. Flow columns (created/solved/reopened) count events on that date; response
-- and SLA columns describe the tickets created that date; the backlog is a running sum of
-- spell starts and ends (int_ticket_open_spells), never a ticket x date cross join.
-- Business-time and next-reply columns (spec calendars.md) also describe the tickets created
-- that date: averages pool every next reply of those tickets (never an average of averages).
with

fct_tickets as (
    select * from {{ ref('fct_tickets') }}
),

int_ticket_status_history as (
    select * from {{ ref('int_ticket_status_history') }}
),

int_ticket_open_spells as (
    select * from {{ ref('int_ticket_open_spells') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

bounds as (
    select
        min(fct_tickets.report_date) as first_date,
        max({{ local_date('int_data_watermark.as_of') }}) as last_date
    from fct_tickets
    cross join int_data_watermark
),

date_spine as (
    select date_day as report_date
    from {{ date_spine('bounds', 'first_date', 'last_date') }} as spine
),

priorities as (
    select distinct priority
    from fct_tickets
),

grid as (
    select
        priorities.priority,
        date_spine.report_date
    from priorities
    cross join date_spine
),

created as (
    select
        priority,
        report_date,
        count(*) as tickets_created,
        count(first_response_seconds) as first_responses,
        sum(first_response_seconds) as first_response_seconds_sum,
        avg(first_response_seconds) as first_response_avg_seconds,
        {{ hotline.median('first_response_seconds') }} as first_response_median_seconds,
        -- business time (spec calendars.md): the ticket's schedule, calendar time without one
        sum(first_response_business_seconds) as first_response_business_seconds_sum,
        {{ hotline.median('first_response_business_seconds') }} as first_response_business_median_seconds,
        -- next replies (fct_ticket_replies) of the tickets created that date, pooled over replies
        sum(next_replies) as next_replies,
        sum(next_reply_seconds_sum) as next_reply_seconds_sum,
        sum(next_reply_business_seconds_sum) as next_reply_business_seconds_sum,
        count(case when sla_first_response_status = 'met' then 1 end) as sla_first_response_met,
        count(case when sla_first_response_status = 'breached' then 1 end) as sla_first_response_breached,
        count(case when sla_first_response_status = 'pending' then 1 end) as sla_first_response_pending,
        count(case when sla_resolution_status = 'met' then 1 end) as sla_resolution_met,
        count(case when sla_resolution_status = 'breached' then 1 end) as sla_resolution_breached,
        count(case when sla_resolution_status = 'pending' then 1 end) as sla_resolution_pending
    from fct_tickets
    group by priority, report_date
),

status_change_days as (
    -- a ticket solved (or reopened) twice on one date counts once for that date
    select distinct
        fct_tickets.priority,
        int_ticket_status_history.ticket_id,
        {{ local_date('int_ticket_status_history.changed_at') }} as report_date,
        int_ticket_status_history.is_solve,
        int_ticket_status_history.is_reopen
    from int_ticket_status_history
    inner join fct_tickets
        on int_ticket_status_history.ticket_id = fct_tickets.ticket_id
    where int_ticket_status_history.is_solve or int_ticket_status_history.is_reopen
),

status_flows as (
    select
        priority,
        report_date,
        count(distinct case when is_solve then ticket_id end) as tickets_solved,
        count(distinct case when is_reopen then ticket_id end) as tickets_reopened
    from status_change_days
    group by priority, report_date
),

backlog_deltas as (
    -- +1 on the first local day a spell is open at the day's end, -1 on the day it is not
    select
        fct_tickets.priority,
        int_ticket_open_spells.start_date as report_date,
        1 as delta
    from int_ticket_open_spells
    inner join fct_tickets
        on int_ticket_open_spells.ticket_id = fct_tickets.ticket_id

    union all

    select
        fct_tickets.priority,
        int_ticket_open_spells.end_date as report_date,
        -1 as delta
    from int_ticket_open_spells
    inner join fct_tickets
        on int_ticket_open_spells.ticket_id = fct_tickets.ticket_id
    where int_ticket_open_spells.end_date is not null
),

backlog_changes as (
    select
        priority,
        report_date,
        sum(delta) as backlog_change
    from backlog_deltas
    group by priority, report_date
),

joined as (
    select
        grid.priority,
        grid.report_date,
        created.first_response_seconds_sum,
        created.first_response_avg_seconds,
        created.first_response_median_seconds,
        created.first_response_business_seconds_sum,
        created.first_response_business_median_seconds,
        created.next_reply_seconds_sum,
        created.next_reply_business_seconds_sum,
        coalesce(created.next_replies, 0) as next_replies,
        coalesce(created.tickets_created, 0) as tickets_created,
        coalesce(status_flows.tickets_solved, 0) as tickets_solved,
        coalesce(status_flows.tickets_reopened, 0) as tickets_reopened,
        sum(coalesce(backlog_changes.backlog_change, 0)) over (
            partition by grid.priority
            order by grid.report_date
            rows between unbounded preceding and current row
        ) as backlog_end_of_day,
        coalesce(created.first_responses, 0) as first_responses,
        coalesce(created.sla_first_response_met, 0) as sla_first_response_met,
        coalesce(created.sla_first_response_breached, 0) as sla_first_response_breached,
        coalesce(created.sla_first_response_pending, 0) as sla_first_response_pending,
        coalesce(created.sla_resolution_met, 0) as sla_resolution_met,
        coalesce(created.sla_resolution_breached, 0) as sla_resolution_breached,
        coalesce(created.sla_resolution_pending, 0) as sla_resolution_pending
    from grid
    left join created
        on
            grid.priority = created.priority
            and grid.report_date = created.report_date
    left join status_flows
        on
            grid.priority = status_flows.priority
            and grid.report_date = status_flows.report_date
    left join backlog_changes
        on
            grid.priority = backlog_changes.priority
            and grid.report_date = backlog_changes.report_date
),

final as (
    select
        priority,
        report_date,
        cast(tickets_created as bigint) as tickets_created,
        cast(tickets_solved as bigint) as tickets_solved,
        cast(tickets_reopened as bigint) as tickets_reopened,
        cast(backlog_end_of_day as bigint) as backlog_end_of_day,
        cast(first_responses as bigint) as first_responses,
        cast(first_response_seconds_sum as double) as first_response_seconds_sum,
        cast(first_response_avg_seconds as double) as first_response_avg_seconds,
        cast(first_response_median_seconds as double) as first_response_median_seconds,
        cast(first_response_business_seconds_sum as double) as first_response_business_seconds_sum,
        {{ safe_divide('first_response_business_seconds_sum', 'first_responses') }}
            as first_response_business_avg_seconds,
        cast(first_response_business_median_seconds as double) as first_response_business_median_seconds,
        cast(next_replies as bigint) as next_replies,
        cast(next_reply_seconds_sum as double) as next_reply_seconds_sum,
        {{ safe_divide('next_reply_seconds_sum', 'next_replies') }} as next_reply_avg_seconds,
        cast(next_reply_business_seconds_sum as double) as next_reply_business_seconds_sum,
        {{ safe_divide('next_reply_business_seconds_sum', 'next_replies') }} as next_reply_business_avg_seconds,
        cast(sla_first_response_met as bigint) as sla_first_response_met,
        cast(sla_first_response_breached as bigint) as sla_first_response_breached,
        cast(sla_first_response_pending as bigint) as sla_first_response_pending,
        {{ safe_divide('sla_first_response_met', 'sla_first_response_met + sla_first_response_breached') }}
            as first_response_sla_rate,
        cast(sla_resolution_met as bigint) as sla_resolution_met,
        cast(sla_resolution_breached as bigint) as sla_resolution_breached,
        cast(sla_resolution_pending as bigint) as sla_resolution_pending
    from joined
)

select * from final
