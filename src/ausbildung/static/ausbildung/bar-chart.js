// Horizontal bar charts (Chart.js) for every <canvas data-bar-chart="ID">: the figures come from the JSON
// element ID ({labels, values, label}); data-max fixes the scale's end (e.g. 100 for per cent). The table on
// each page carries the same figures for everyone, so the pages work without JavaScript.
(function () {
  var canvases = document.querySelectorAll("canvas[data-bar-chart]");
  if (!window.Chart || !canvases.length) return;
  Chart.defaults.font.family = "Fira Sans, sans-serif";
  // On a phone a long label ("I – Forschend-untersuchend") would be cut at the canvas's left edge (Chart.js
  // gives the labels at most half the width): below 480 px each label breaks after its spaces and hyphens.
  function wrapLabel(value) {
    var label = this.getLabelForValue(value);
    if (this.chart.width >= 480 || label.length <= 12) return label;
    return label.split(/(?<=[\s-])/).reduce(function (lines, part) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + part).length <= 16) lines[last] += part;
      else lines.push(part);
      return lines;
    }, []).map(function (line) { return line.trim(); });
  }
  canvases.forEach(function (canvas) {
    var node = document.getElementById(canvas.dataset.barChart);
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var x = { min: 0, ticks: { precision: 0 } };
    if (canvas.dataset.max) x.max = Number(canvas.dataset.max);
    var height = Number(canvas.dataset.height || "300");
    if (canvas.parentElement.clientWidth < 480) height = Math.round(height * 1.25); // room for wrapped labels
    canvas.parentElement.style.height = height + "px";
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
        scales: { x: x, y: { ticks: { callback: wrapLabel, autoSkip: false } } },
        plugins: { legend: { display: false } }
      }
    });
  });
  document.body.dataset.chartReady = "true";
})();
