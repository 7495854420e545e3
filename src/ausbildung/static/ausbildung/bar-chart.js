// Horizontal bar charts (Chart.js) for every <canvas data-bar-chart="ID">: the figures come from the JSON
// element ID ({labels, values, label}); data-max fixes the scale's end (e.g. 100 for per cent). The table on
// each page carries the same figures for everyone, so the pages work without JavaScript.
(function () {
  var canvases = document.querySelectorAll("canvas[data-bar-chart]");
  if (!window.Chart || !canvases.length) return;
  Chart.defaults.font.family = "Fira Sans, sans-serif";
  canvases.forEach(function (canvas) {
    var node = document.getElementById(canvas.dataset.barChart);
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var x = { min: 0, ticks: { precision: 0 } };
    if (canvas.dataset.max) x.max = Number(canvas.dataset.max);
    canvas.parentElement.style.height = (canvas.dataset.height || "300") + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values, backgroundColor: "#1d3b6b" }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: x },
        plugins: { legend: { display: false } }
      }
    });
  });
  document.body.dataset.chartReady = "true";
})();
