// Interest check result: the six scores as a bar chart (Chart.js); the table on the page carries the same
// figures for everyone, so the page works without JavaScript.
(function () {
  var node = document.getElementById("interest-data");
  var canvas = document.getElementById("interest-chart");
  if (!window.Chart || !canvas || !node) return;
  var data = JSON.parse(node.textContent);
  canvas.parentElement.style.height = "300px";
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
      scales: { x: { min: 0, max: 100 } },
      plugins: { legend: { display: false } }
    }
  });
  document.body.dataset.chartReady = "true";
})();
