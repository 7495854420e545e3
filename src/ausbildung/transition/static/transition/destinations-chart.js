// Destinations dashboard: the leavers of the cohort per destination as a bar chart (Chart.js); the table on
// the page carries the same figures for everyone, so the page works without JavaScript.
(function () {
  var node = document.getElementById("destinations-data");
  var canvas = document.getElementById("destinations-chart");
  if (!window.Chart || !canvas || !node) return;
  var data = JSON.parse(node.textContent);
  canvas.parentElement.style.height = "320px";
  Chart.defaults.font.family = "Fira Sans, sans-serif";
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
      scales: { x: { min: 0, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } }
    }
  });
  document.body.dataset.chartReady = "true";
})();
