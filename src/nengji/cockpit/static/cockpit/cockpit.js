/* nengji cockpit: hand each chart's server-built ECharts option to ECharts; PNG downloads;
   charts resize with the window. No data is fetched from anywhere but this server. */
(function () {
  "use strict";
  var charts = {};

  function init(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (charts[el.id]) { return; }
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) { return; }
      var option = JSON.parse(src.textContent);
      if (window.innerWidth >= 1800) {  // wall screen: text readable from across the room
        option.textStyle = { fontSize: 18 };
        (Array.isArray(option.xAxis) ? option.xAxis : [option.xAxis]).forEach(function (ax) {
          if (ax) { ax.axisLabel = Object.assign({}, ax.axisLabel, { fontSize: 16 }); }
        });
        (Array.isArray(option.yAxis) ? option.yAxis : [option.yAxis]).forEach(function (ax) {
          if (ax) { ax.axisLabel = Object.assign({}, ax.axisLabel, { fontSize: 16 }); }
        });
        if (option.legend) { option.legend.textStyle = { fontSize: 16 }; }
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts[el.id] = chart;
    });
  }

  function png(button) {
    var chart = charts[button.getAttribute("data-png")];
    if (!chart) { return; }
    var a = document.createElement("a");
    a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    a.download = button.getAttribute("data-name") + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.png");
    if (b) { png(b); }
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
  window.nengjiCharts = charts;
})();
