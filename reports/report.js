// faultline report: draws the Vega-Lite charts whose specs the page carries in the
// JSON element #faultline-charts, then marks the page as rendered
// (<html data-rendered="true">) so tests and readers know every chart is there.
// Everything it needs is inlined in the page: no request leaves the browser.
(function () {
  "use strict";
  var holder = document.getElementById("faultline-charts");
  var charts = holder ? JSON.parse(holder.textContent) : [];
  var options = {
    actions: false,   // no export menu: it would add icons and a link to the online editor
    renderer: "svg",  // crisp at any zoom and in print
    mode: "vega-lite"
  };
  var jobs = charts.map(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element) return Promise.reject(new Error("no element #" + chart.id));
    return vegaEmbed(element, chart.spec, options);
  });
  Promise.all(jobs).then(function () {
    document.documentElement.dataset.rendered = "true";
  }, function (error) {
    console.error("faultline report: a chart failed to render: " + (error && error.message ? error.message : error));
  });
})();
