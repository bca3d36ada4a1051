/* nengji registry map: the district's boundary and carriers (ECharts, offline), and the regional
   partners' view. Data comes from the page (json_script); nothing is fetched from elsewhere. */
(function () {
  "use strict";
  var src = document.getElementById("registry-map-data");
  if (!src || !window.echarts) { return; }
  var data = JSON.parse(src.textContent);
  var labels = JSON.parse(document.getElementById("registry-map-labels").textContent);

  var el = document.getElementById("registry-map");
  if (el && data.boundary) {
    window.echarts.registerMap("district", data.boundary);
    var byArea = {};
    data.carriers.forEach(function (c) {
      var key = c.functional_area || labels.other;
      (byArea[key] = byArea[key] || []).push(c);
    });
    var series = Object.keys(byArea).map(function (name) {
      return {
        name: name,
        type: "scatter",
        coordinateSystem: "geo",
        // names are written for the plan's own carriers; the many demo ones show theirs on
        // hover (dozens of names on a small district overlap into noise)
        data: byArea[name].map(function (c) {
          return Object.assign({}, c, { label: { show: !c.demo } });
        }),
        symbolSize: function (v) { return 10 + Math.sqrt(v[2] || 0) * 4; },
        label: { show: true, formatter: "{b}", position: "right", fontSize: 11 },
        emphasis: { label: { show: true } }
      };
    });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          var c = p.data || {};
          return c.name + "<br>" + c.kind + (c.zone ? " · " + c.zone : "") +
            "<br>" + labels.enterprises + ": " + (c.count === null ? "<" + 3 : c.count) +
            (c.approximate ? "<br>" + labels.approximate : "") + (c.demo ? "<br>" + labels.demo : "");
        }
      },
      legend: { top: 0, type: "scroll" },
      geo: {
        map: "district", roam: true,
        itemStyle: { areaColor: "#eef3f8", borderColor: "#4a6fa5" },
        emphasis: { disabled: true }
      },
      series: series
    });
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var yrd = document.getElementById("registry-partners");
  var bases = (data.partners && data.partners.bases) || [];
  if (yrd && bases.length) {
    var home = bases[0];
    var chart2 = window.echarts.init(yrd, null, { renderer: "canvas" });
    chart2.setOption({
      tooltip: {
        formatter: function (p) {
          var b = p.data && p.data.base;
          if (!b) { return ""; }
          return b.name_zh + "<br>" + (b.role || "") + "<br>" + (b.services || []).join("、");
        }
      },
      xAxis: { type: "value", scale: true, name: labels.lon, splitLine: { show: false } },
      yAxis: { type: "value", scale: true, name: labels.lat, splitLine: { show: false } },
      series: [
        {
          type: "scatter", symbolSize: 18,
          data: bases.map(function (b) { return { name: b.name_zh, value: [b.lon, b.lat], base: b }; }),
          label: { show: true, formatter: "{b}", position: "top" }
        },
        {
          type: "lines", coordinateSystem: "cartesian2d", lineStyle: { type: "dashed", width: 1 },
          data: bases.slice(1).map(function (b) { return { coords: [[home.lon, home.lat], [b.lon, b.lat]] }; })
        }
      ]
    });
    window.addEventListener("resize", function () { chart2.resize(); });
  }
})();
