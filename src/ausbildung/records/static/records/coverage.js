// Framework-plan coverage chart (Chart.js); the table on the page carries the same figures for everyone.
(function () {
  var data = JSON.parse(document.getElementById("coverage-data").textContent);
  var canvas = document.getElementById("coverage-chart");
  if (!window.Chart || !canvas) return;
  canvas.parentElement.style.height = Math.max(240, data.labels.length * 22) + "px";
  Chart.defaults.font.family = "Fira Sans, sans-serif";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.recorded || "Wochen erfasst", data: data.recorded, backgroundColor: "#1d3b6b" },
        { label: canvas.dataset.guideline || "Richtwert (Wochen)", data: data.guideline, backgroundColor: "#9fb3d1" }
      ]
    },
    options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false }
  });
  document.body.dataset.chartReady = "true";
})();
