"""One self-contained HTML page: inline CSS, the vega-embed bundle inline, chart specs as JSON.

No CDN, no web font, no request of any kind: the page opens from disk offline, on a phone too
(fluid layout, charts sized to their container). Text from the data (queue names, alert
messages, ids) is HTML-escaped by Jinja's autoescape; chart specs are embedded as JSON inside
`<script type="application/json">` with `<`, `>` and `&` escaped, so no value can close the
script element. The bundle is vl-convert's build of Vega, Vega-Lite and vega-embed (the one
Altair inlines); when every chart has rendered the page sets `data-charts-rendered` on <body>
(the browser test waits for it) and reports a failed chart on the console.
"""

from __future__ import annotations

import json
from functools import lru_cache

from jinja2 import Environment, select_autoescape


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega + Vega-Lite + vega-embed as one script (vl-convert, the bundle Altair inlines)."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    return bundle.replace("</script", "<\\/script")


def script_json(value: object) -> str:
    """JSON safe inside a <script> element (no `</script>`, no `<!--`)."""
    text = json.dumps(value, ensure_ascii=False, default=str, allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


TEMPLATE = """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hotline report">
<title>{{ title }} · {{ period_label }}</title>
<style>
:root { --ink:#24292f; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --good:#1a7f37;
        --near:#b58105; --bad:#cf222e; }
* { box-sizing: border-box; }
body { margin:0; font-family: "Noto Sans CJK SC","Source Han Sans SC","PingFang SC",
       "Microsoft YaHei","WenQuanYi Zen Hei",-apple-system,"Segoe UI",sans-serif;
       color:var(--ink); background:var(--bg); line-height:1.45; font-size:15px; }
header { background:#0b3d91; color:#fff; padding:18px 20px 14px; }
header h1 { margin:0 0 6px; font-size:22px; }
header .meta { display:flex; flex-wrap:wrap; gap:4px 22px; font-size:13px; opacity:.95; }
nav { position:sticky; top:0; z-index:2; background:#fff; border-bottom:1px solid var(--line);
      overflow-x:auto; white-space:nowrap; padding:6px 12px; font-size:13px; }
nav a { color:#0969da; text-decoration:none; margin-right:14px; }
main { max-width:1180px; margin:0 auto; padding:12px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; margin:12px 0;
          padding:12px 16px 16px; }
h2 { font-size:18px; margin:4px 0 4px; }
h3 { font-size:15px; margin:14px 0 4px; }
.note { color:var(--muted); font-size:12.5px; margin:0 0 8px; }
.grid { display:grid; gap:12px; grid-template-columns:repeat(auto-fill,minmax(320px,1fr)); }
.grid1 { display:block; }
.grid2 { display:grid; gap:12px; grid-template-columns:repeat(auto-fit,minmax(420px,1fr)); }
@media (max-width:520px) { .grid2 { grid-template-columns:1fr; } main { padding:6px; }
  section { padding:10px; } }
.chart { width:100%; min-height:60px; }
.cards { display:grid; gap:10px; grid-template-columns:repeat(auto-fill,minmax(230px,1fr)); }
.card { border:1px solid var(--line); border-left:6px solid var(--muted); border-radius:6px;
        padding:8px 10px; }
.card.met { border-left-color:var(--good); } .card.near { border-left-color:var(--near); }
.card.missed { border-left-color:var(--bad); }
.card .name { font-weight:600; } .card .other { color:var(--muted); font-size:12px; }
.card .value { font-size:24px; font-weight:700; margin:2px 0; }
.card .target { font-size:12.5px; color:var(--muted); }
.card .def { font-size:11.5px; color:var(--muted); margin-top:4px; }
.light { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:5px;
         background:var(--muted); vertical-align:baseline; }
.light.met { background:var(--good); } .light.near { background:var(--near); }
.light.missed { background:var(--bad); }
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { border-bottom:1px solid #eaeef2; padding:4px 6px; text-align:left; vertical-align:top; }
th { background:#f6f8fa; font-weight:600; white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.bad td { color:var(--bad); }
.sev-critical { color:var(--bad); font-weight:700; }
.sev-warning { color:var(--near); font-weight:600; }
dl.defs dt { font-weight:600; margin-top:6px; } dl.defs dd { margin:0 0 0 0; color:var(--muted);
  font-size:12.5px; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:14px; }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <div class="meta">
    <span>{{ t.period }}: <b>{{ period_label }}</b></span>
    <span>{{ t.as_of }}: <b id="as-of">{{ as_of_label }}</b></span>
    <span>{{ t.run }}: <b id="run-id">{{ run_id }}</b></span>
    <span>{{ t.zone }}: <b id="zone">{{ zone_label }}</b></span>
  </div>
</header>
<nav>
{% for section in sections %}
<a href="#{{ section.id }}">{{ section.title }}</a>
{% endfor %}
</nav>
<main>
<p class="note">{{ zone_note }}</p>
{% for section in sections %}
<section id="{{ section.id }}">
  <h2>{{ section.title }}</h2>
  {% if section.note %}<p class="note">{{ section.note }}</p>{% endif %}
  {% if section.cards %}
  <div class="cards">
  {% for card in section.cards %}
    <div class="card {{ card.status }}">
      <div class="name"><span class="light {{ card.status }}"></span>{{ card.name }}</div>
      <div class="other">{{ card.other }}</div>
      <div class="value">{{ card.value }}</div>
      <div class="target">{{ card.target }} · {{ card.status_label }}</div>
      <div class="def">{{ card.definition }}</div>
    </div>
  {% endfor %}
  </div>
  {% endif %}
  {% for block in section.blocks %}
    {% if block.heading %}<h3>{{ block.heading }}</h3>{% endif %}
    {% if block.note %}<p class="note">{{ block.note }}</p>{% endif %}
    {% if block.charts %}
    <div class="{{ block.layout or 'grid2' }}">
      {% for chart in block.charts %}
      <div class="chart" id="{{ chart.id }}" data-spec="{{ chart.id }}-spec"></div>
      {% endfor %}
    </div>
    {% endif %}
    {% if block.table %}
    <div class="table-wrap"><table>
      <thead><tr>
      {% for head in block.table.headers %}
        <th class="{{ head.cls }}" title="{{ head.title }}">{{ head.text }}</th>
      {% endfor %}
      </tr></thead>
      <tbody>
      {% for row in block.table.rows %}
      <tr class="{{ row.cls }}">
        {% for cell in row.cells %}<td class="{{ cell.cls }}">{{ cell.text }}</td>{% endfor %}
      </tr>
      {% endfor %}
      </tbody>
    </table></div>
    {% endif %}
    {% if block.text %}<p>{{ block.text }}</p>{% endif %}
    {% if block.definitions %}
    <dl class="defs">
    {% for label in block.definitions %}
      <dt>{{ label.zh }} · {{ label.en }}</dt><dd>{{ label.definition }}</dd>
    {% endfor %}
    </dl>
    {% endif %}
  {% endfor %}
</section>
{% endfor %}
</main>
<footer>{{ t.footer }}</footer>
{% for chart in charts %}
<script type="application/json" id="{{ chart.id }}-spec">{{ chart.json | safe }}</script>
{% endfor %}
<script>{{ bundle | safe }}</script>
<script>
(function () {
  var nodes = Array.prototype.slice.call(document.querySelectorAll('.chart[data-spec]'));
  var jobs = nodes.map(function (node) {
    var spec = JSON.parse(document.getElementById(node.getAttribute('data-spec')).textContent);
    return vegaEmbed(node, spec, {renderer: 'svg', actions: false, mode: 'vega-lite'});
  });
  Promise.all(jobs).then(function () {
    document.body.setAttribute('data-charts-rendered', String(jobs.length));
  }).catch(function (error) {
    document.body.setAttribute('data-charts-failed', String(error));
    console.error('hotline report: a chart failed to render', error);
  });
})();
</script>
</body>
</html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def render_page(context: dict) -> str:
    charts = [{"id": chart["id"], "json": script_json(chart["spec"])}
              for chart in context["charts"]]
    return _ENV.from_string(TEMPLATE).render(**{**context, "charts": charts,
                                                "bundle": vega_bundle()})
