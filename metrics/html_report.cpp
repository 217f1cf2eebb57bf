// The HTML report (html_report.h). The figures travel as one JSON object
// in the page; the page's own script builds the tables and the charts.
#include "metrics/html_report.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cs::metrics {

namespace {

// Inside <script>, "</" would end the element: JSON and JS allow "<\/".
std::string ScriptSafe(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Json RowsJson(const std::vector<HistoryRow>& rows) {
  Json out = Json::array();
  for (const HistoryRow& row : rows) {
    Json entries = Json::array();
    for (const HistoryEntry& e : row.entries) {
      entries.push_back({{"type", e.type}, {"name", e.name}, {"rps", e.rps}, {"fps", e.failures_per_s},
                         {"n", e.window_count}, {"p50", e.window_percentiles_ms[0]},
                         {"p95", e.window_percentiles_ms[5]}, {"p99", e.window_percentiles_ms[7]}});
    }
    out.push_back({{"t", FormatIsoTime(row.at)},
                   {"servers", row.gauges.servers_running},
                   {"agents", row.gauges.agents_connected},
                   {"faults", row.gauges.faults_active},
                   {"entries", entries}});
  }
  return out;
}

Json ReportJson(const ReportInput& input) {
  Json summary = ToJson(input.snapshot);
  for (Json& r : summary["requests"]) r.erase("buckets");  // the page does not need them
  RequestStats total = input.snapshot.Aggregated();
  total.type = "";
  Json aggregated = ToJson(total, input.snapshot.elapsed_s());
  aggregated.erase("buckets");
  summary["aggregated"] = aggregated;
  return Json{{"summary", summary}, {"rows", RowsJson(input.rows)}};
}

constexpr const char* kStyle = R"(
:root{--bg:#f5f6f8;--card:#fff;--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--bad:#c0392b;--good:#1e8449}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#1d2330;color:#fff;padding:20px 32px}header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#aab2c5}main{padding:24px 32px;max-width:1400px;margin:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-bottom:20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card .v{font-size:24px;font-weight:600}.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.bad .v{color:var(--bad)}.card.good .v{color:var(--good)}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin-bottom:20px}
section h2{margin:0 0 12px;font-size:16px}table{border-collapse:collapse;width:100%}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}th{color:var(--muted);font-weight:600;font-size:12px}
tr.total td{font-weight:600;border-top:2px solid var(--ink)}td.bad{color:var(--bad);font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:20px}
.chart{position:relative;height:300px}.empty{color:var(--muted)}footer{color:var(--muted);font-size:12px;padding:0 32px 24px}
)";

constexpr const char* kScript = R"(
(function(){
const data=JSON.parse(document.getElementById('report-data').textContent);
const s=data.summary,rows=data.rows,fmt=(v,d)=>(v===undefined||v===null)?'':Number(v).toFixed(d===undefined?1:d);
const el=(t,a,txt)=>{const e=document.createElement(t);if(a)for(const k in a)e.setAttribute(k,a[k]);if(txt!==undefined)e.textContent=txt;return e;};
const agg=s.aggregated,fails=agg.failures,pct=agg.count?100*fails/agg.count:0;
const cards=[['Requests',agg.count,''],['Requests/s',fmt(agg.rps),''],['Failures',fails+' ('+fmt(pct,2)+' %)',fails?'bad':'good'],
 ['Median',fmt(agg.median_ms)+' ms',''],['p95',fmt(agg.p95_ms)+' ms',''],['p99',fmt(agg.p99_ms)+' ms',''],
 ['Servers running',s.gauges.servers_running,''],['Agents connected',s.gauges.agents_connected,''],['Long-poll messages',s.long_poll_messages,'']];
const c=document.getElementById('cards');
for(const [k,v,cls] of cards){const d=el('div',{class:'card '+cls});d.appendChild(el('div',{class:'v'},String(v)));d.appendChild(el('div',{class:'k'},k));c.appendChild(d);}
const cols=[['Type','type'],['Name','name'],['# reqs','count'],['# fails','failures'],['Avg ms','avg_ms'],['Min ms','min_ms'],
 ['Max ms','max_ms'],['Median ms','median_ms'],['p90 ms','p90_ms'],['p95 ms','p95_ms'],['p99 ms','p99_ms'],['p99.9 ms','p999_ms'],['req/s','rps']];
const t=document.getElementById('summary');const hr=el('tr');for(const [h] of cols)hr.appendChild(el('th',null,h));t.appendChild(hr);
const addRow=(r,cls)=>{const tr=el('tr',cls?{class:cls}:null);for(const [h,k] of cols){const v=r[k];
 const td=el('td',null,typeof v==='number'&&!['count','failures'].includes(k)?fmt(v,k==='rps'?2:1):String(v===undefined?'':v));
 if(k==='failures'&&v>0)td.className='bad';tr.appendChild(td);}t.appendChild(tr);};
for(const r of s.requests)addRow(r);addRow(Object.assign({},agg,{name:'Aggregated'}),'total');
const f=document.getElementById('failures');let nf=0;const fh=el('tr');for(const h of ['Type','Name','Reason','Occurrences'])fh.appendChild(el('th',null,h));f.appendChild(fh);
for(const r of s.requests)for(const reason in r.failures_by_reason){nf++;const tr=el('tr');for(const v of [r.type,r.name,reason,r.failures_by_reason[reason]])tr.appendChild(el('td',null,String(v)));f.appendChild(tr);}
if(!nf){f.remove();document.getElementById('failures-none').hidden=false;}
const labels=rows.map(r=>r.t.substring(11,19));
const palette=['#2e86de','#e67e22','#27ae60','#8e44ad','#c0392b','#16a085','#7f8c8d'];
// Series by type and name over every row: a request type may first appear mid-run (the benchmark's do).
const keyOf=(e)=>e.type+' '+e.name;const seriesKeys=[];const seen=new Set();
for(const r of rows)for(const e of r.entries)if(e.type&&!seen.has(keyOf(e))){seen.add(keyOf(e));seriesKeys.push(keyOf(e));}
const entryOf=(r,k)=>r.entries.find(e=>keyOf(e)===k);
const byType=(key)=>{if(!rows.length)return [];return seriesKeys.concat([null]).map((k,i)=>({label:k===null?'all':k,
 data:rows.map(r=>{const e=k===null?r.entries[r.entries.length-1]:entryOf(r,k);return e?e[key]:null;}),borderColor:palette[i%palette.length],backgroundColor:palette[i%palette.length],
 borderWidth:k===null?3:1.5,pointRadius:0,tension:.2}));};
const line=(k,n,col,lab)=>({label:lab,data:rows.map(r=>r.entries.length?r.entries[r.entries.length-1][k]:null),borderColor:col,backgroundColor:col,pointRadius:0,borderWidth:2,tension:.2});
let drawn=0;const charts=[];const marker={id:'drawnMarker',afterRender(chart){if(chart.$drawn)return;chart.$drawn=true;drawn++;document.body.dataset.chartsDrawn=String(drawn);}};
const make=(id,datasets,ytitle)=>{charts.push(new Chart(document.getElementById(id),{type:'line',data:{labels:labels,datasets:datasets},plugins:[marker],
 options:{animation:false,responsive:true,maintainAspectRatio:false,interaction:{mode:'index',intersect:false},
 scales:{y:{beginAtZero:true,title:{display:true,text:ytitle}},x:{ticks:{maxTicksLimit:12}}},plugins:{legend:{position:'bottom'}}}}));};
make('chart-rps',byType('rps'),'requests per second');
make('chart-latency',[line('p50',0,'#2e86de','median (all)'),line('p95',0,'#e67e22','p95 (all)'),line('p99',0,'#c0392b','p99 (all)')],'milliseconds');
make('chart-failures',byType('fps'),'failures per second');
make('chart-fleet',[{label:'servers running',data:rows.map(r=>r.servers),borderColor:'#27ae60',backgroundColor:'#27ae60',pointRadius:0,borderWidth:2,stepped:true},
 {label:'agents connected',data:rows.map(r=>r.agents),borderColor:'#2e86de',backgroundColor:'#2e86de',pointRadius:0,borderWidth:2,stepped:true},
 {label:'faults in force',data:rows.map(r=>r.faults),borderColor:'#c0392b',backgroundColor:'#c0392b',pointRadius:0,borderWidth:1.5,stepped:true}],'count');
if(!rows.length)document.getElementById('no-rows').hidden=false;
})();
)";

}  // namespace

Result<std::string> LoadChartJs(const std::string& dir) {
  for (const char* name : {"chart.umd.js", "chart.min.js", "chart.js"}) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().find("Chart") != std::string::npos) return text.str();
  }
  return Status::NotFound("the HTML report needs Chart.js: no chart.umd.js or chart.min.js in " + dir +
                          "/ (install Debian's libjs-chart.js: scripts/setup-deps)");
}

std::string RenderHtmlReport(const ReportInput& input, const std::string& chart_js) {
  const Json report = ReportJson(input);
  const Snapshot& s = input.snapshot;
  std::ostringstream out;
  char duration[64];
  const double secs = s.elapsed_s();
  std::snprintf(duration, sizeof duration, "%dh %02dm %02ds", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60) % 60, static_cast<int>(secs) % 60);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      << "<title>" << HtmlEscape(input.title) << "</title><style>" << kStyle << "</style></head>\n<body>\n"
      << "<header><h1>" << HtmlEscape(input.title) << "</h1><p>"
      << HtmlEscape(input.subtitle.empty() ? std::string() : input.subtitle + " · ") << "started "
      << FormatIsoTime(s.started_at) << " · ran " << duration << " · " << input.rows.size()
      << " samples</p></header>\n<main>\n<div class=\"cards\" id=\"cards\"></div>\n"
      << "<section><h2>Requests</h2><table id=\"summary\"></table></section>\n"
      << "<section><h2>Failures by reason</h2><table id=\"failures\"></table>"
      << "<p id=\"failures-none\" class=\"empty\" hidden>No request failed.</p></section>\n"
      << "<p id=\"no-rows\" class=\"empty\" hidden>No samples were taken: the run was shorter than one sampling interval.</p>\n"
      << "<div class=\"charts\">"
      << "<section><h2>Requests per second</h2><div class=\"chart\"><canvas id=\"chart-rps\"></canvas></div></section>"
      << "<section><h2>Response time (all requests)</h2><div class=\"chart\"><canvas id=\"chart-latency\"></canvas></div></section>"
      << "<section><h2>Failures per second</h2><div class=\"chart\"><canvas id=\"chart-failures\"></canvas></div></section>"
      << "<section><h2>Fleet</h2><div class=\"chart\"><canvas id=\"chart-fleet\"></canvas></div></section>"
      << "</div>\n</main>\n<footer>cluster-sim · figures explained in docs/metrics.md · percentiles within 0.8 % "
      << "(log-linear histogram) · charts by Chart.js</footer>\n"
      << "<script type=\"application/json\" id=\"report-data\">" << ScriptSafe(report.dump()) << "</script>\n"
      << "<script>" << ScriptSafe(chart_js) << "</script>\n<script>" << kScript << "</script>\n</body></html>\n";
  return out.str();
}

Status CheckWritablePath(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("the path is empty");
  if (path.find('\0') != std::string::npos) return Status::InvalidArgument("the path holds a NUL byte");
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + " is a directory");
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Status::NotFound("no directory " + dir + " for " + path);
  if (access(dir.c_str(), W_OK) != 0) return Status::IoError("cannot write in " + dir + " (for " + path + ")");
  if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

Status WriteHtmlReport(const std::string& path, const ReportInput& input) {
  CS_RETURN_IF_ERROR(CheckWritablePath(path));
  auto chart_js = LoadChartJs();
  if (!chart_js.ok()) return chart_js.status();
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + temp);
    out << RenderHtmlReport(input, *chart_js);
    out.close();
    if (!out) {
      std::remove(temp.c_str());
      return Status::IoError("writing " + temp + " failed (disk full?)");
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Status::IoError("cannot rename " + temp + " to " + path);
  }
  return Status::Ok();
}

}  // namespace cs::metrics
