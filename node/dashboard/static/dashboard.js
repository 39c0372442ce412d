/* Draws the EU dashboard's charts from the page's JSON block with the vendored Chart.js.
   A figure without a value is never drawn as zero: it is left out of the line (a gap), and a
   hatched marker labelled "suppressed" or "no data" is drawn in its place. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  var palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

  function hatch() {
    var c = document.createElement("canvas");
    c.width = 8; c.height = 8;
    var g = c.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = "#777777"; g.lineWidth = 1.5;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return g.createPattern(c, "repeat");
  }

  // Draws a hatched box and a label where a dataset has no value.
  var noValueMarkers = {
    id: "noValueMarkers",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, area = chart.chartArea, pattern = hatch();
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) { return; }
        (ds.statuses || []).forEach(function (status, j) {
          if (ds.data[j] !== null) { return; }
          var el = meta.data[j];
          if (!el || !isFinite(el.x)) { return; }
          var w = Math.max(6, (el.width || 14));
          // Full height, so the marker cannot be read as a value.
          var h = area.bottom - area.top;
          ctx.save();
          ctx.globalAlpha = 0.6;
          ctx.fillStyle = pattern;
          ctx.strokeStyle = "#555555";
          ctx.fillRect(el.x - w / 2, area.bottom - h, w, h);
          ctx.strokeRect(el.x - w / 2, area.bottom - h, w, h);
          ctx.globalAlpha = 1;
          ctx.translate(el.x + 4, area.bottom - 4);
          ctx.rotate(-Math.PI / 2);
          ctx.fillStyle = status === "suppressed" ? "#8a1c00" : "#333333";
          ctx.font = "12px system-ui, sans-serif";
          ctx.fillText(status, 0, 0);
          ctx.restore();
        });
      });
    }
  };

  function label(point) {
    if (point.value === null) { return point.status; }
    return (point.lower_bound ? "≥ " : "") + point.value +
      (point.noised ? " (estimate)" : "") + (point.stale ? " (stale)" : "");
  }

  function draw(id, config, points) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.plugins = config.options.plugins || {};
    config.options.plugins.tooltip = {
      callbacks: {
        label: function (item) {
          var p = points(item.datasetIndex)[item.dataIndex];
          return item.dataset.label + ": " + label(p);
        }
      }
    };
    config.plugins = [noValueMarkers];
    new Chart(canvas, config);
    canvas.setAttribute("data-rendered", "true");
  }

  var months = data.months;
  draw("chart-totals", {
    type: "line",
    data: {
      labels: months,
      datasets: [{
        label: "EU total",
        data: data.totals.map(function (t) { return t.value; }),
        statuses: data.totals.map(function (t) { return t.status; }),
        borderColor: palette[0], backgroundColor: palette[0],
        // Lower bounds drawn as open triangles, exact totals as filled circles.
        pointStyle: data.totals.map(function (t) { return t.lower_bound ? "triangle" : "circle"; }),
        pointRadius: 5, spanGaps: false
      }]
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "reports" } } } }
  }, function () { return data.totals; });

  draw("chart-cities", {
    type: "bar",
    data: {
      labels: months,
      datasets: data.cities.map(function (c, i) {
        return {
          label: c.city,
          data: c.points.map(function (p) { return p.value; }),
          statuses: c.points.map(function (p) { return p.status; }),
          backgroundColor: palette[i % palette.length]
        };
      })
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "reports" } } } }
  }, function (i) { return data.cities[i].points; });

  draw("chart-categories", {
    type: "bar",
    data: {
      labels: data.categories.map(function (c) { return c.category + " " + c.name; }),
      datasets: [{
        label: "EU total " + data.query.from + " to " + data.query.to,
        data: data.categories.map(function (c) { return c.value; }),
        statuses: data.categories.map(function (c) { return c.status; }),
        backgroundColor: palette[2]
      }]
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }
  }, function () { return data.categories; });
}());
