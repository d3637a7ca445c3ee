-- The one date spine of the project: every local date (var reporting_timezone) from the
-- earliest business timestamp of any source through the as_of date, with the UTC instants
-- the local day starts and ends at (23 or 25 hours apart on daylight-saving days). Agent
-- state splitting, the ticket backlog and the change sets all read their dates from here.
with

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

bounds as (
    select
        {{ hotline.local_date('data_starts_at') }} as first_date,
        {{ hotline.local_date('as_of') }} as last_date
    from int_data_watermark
),

spine as (
    select date_day as report_date
    from {{ hotline.date_spine('bounds', 'first_date', 'last_date') }} as spine_days
),

final as (
    select
        report_date,
        {{ hotline.local_to_utc('cast(report_date as timestamp)') }} as day_start_utc,
        {{ hotline.local_to_utc('cast(' ~ dbt.dateadd('day', 1, 'report_date') ~ ' as timestamp)') }}
            as day_end_utc
    from spine
)

select * from final
