/**
 * The dashboard's behaviour in the page, shipped as source text (see ./dashboard.ts): fills the panels
 * from the embedded DashboardData, and redraws them when the model, the comparison model or the theme
 * changes. Clicking a class (in the classification report) or a confusion-matrix cell opens the
 * drill-down: that class's misclassified test digits with their probabilities.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- runs in the page on plain JSON and plotly */
export function dashboardApp(root: HTMLElement, data: any, Plotly: any): void {
  const classes = data.dataset.classes;
  const labels: number[] = data.testLabels;
  const spriteIndex: Record<number, number> = {};
  data.sprite.indices.forEach(function (testIndex: number, k: number) {
    spriteIndex[testIndex] = k;
  });
  const state = { model: 0, compare: -1, theme: "light" };

  function find(testId: string): HTMLElement {
    return root.querySelector('[data-testid="' + testId + '"]') as HTMLElement;
  }
  function escape(text: unknown): string {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function percent(value: number, digits?: number): string {
    return (100 * value).toFixed(digits === undefined ? 2 : digits) + "%";
  }
  function thumbnail(testIndex: number, extraClass?: string): string {
    const k = spriteIndex[testIndex];
    if (k === undefined) return "";
    const columns = data.sprite.columns;
    const x = -(k % columns) * 28;
    const y = -Math.floor(k / columns) * 28;
    return (
      '<span class="db-digit ' +
      (extraClass || "") +
      '" style="background-image:url(' +
      data.sprite.dataUrl +
      ");background-position:" +
      x +
      "px " +
      y +
      'px"></span>'
    );
  }
  function confusion(model: any): number[][] {
    const matrix: number[][] = [];
    for (let i = 0; i < classes; i++) matrix.push(new Array(classes).fill(0));
    for (let r = 0; r < labels.length; r++) matrix[labels[r]][model.predictions[r]]++;
    return matrix;
  }
  function plotColors(): any {
    const dark = state.theme === "dark";
    return {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: dark ? "#e6e6e6" : "#222" },
    };
  }
  function layout(extra: any): any {
    const base = plotColors();
    for (const key of Object.keys(extra)) base[key] = extra[key];
    return base;
  }
  const config = { responsive: true, displaylogo: false };
  function shownModels(): any[] {
    return state.compare >= 0 && state.compare !== state.model
      ? [data.models[state.model], data.models[state.compare]]
      : [data.models[state.model]];
  }

  function drawFacts(): void {
    const d = data.dataset;
    const facts = [
      ["training images", d.trainCount.toLocaleString("en")],
      ["test images", d.testCount.toLocaleString("en")],
      ["image size", d.height + " × " + d.width],
      ["classes", String(d.classes)],
      ["pixel mean (0–255)", d.pixelMean.toFixed(1)],
      ["pixel std (0–255)", d.pixelStd.toFixed(1)],
      ["models", String(data.models.length)],
    ];
    find("facts").innerHTML = facts
      .map(function (f) {
        return (
          '<div class="db-fact"><div class="db-fact-value">' +
          escape(f[1]) +
          "</div><div>" +
          escape(f[0]) +
          "</div></div>"
        );
      })
      .join("");
  }

  function drawDonuts(): void {
    const models = shownModels();
    const traces = models.map(function (m: any, i: number) {
      return {
        type: "pie",
        hole: 0.6,
        values: [m.testAccuracy, 1 - m.testAccuracy],
        labels: ["correct", "wrong"],
        marker: { colors: ["#2a9d8f", "#e76f51"] },
        textinfo: "none",
        sort: false,
        domain: { column: i },
        title: { text: escape(m.name) + "<br><b>" + percent(m.testAccuracy) + "</b>", font: { size: 13 } },
      };
    });
    Plotly.react(
      find("donut"),
      traces,
      layout({
        grid: { rows: 1, columns: models.length },
        height: 300,
        margin: { t: 20, b: 20, l: 20, r: 20 },
        showlegend: false,
      }),
      config,
    );
  }

  function drawSamples(): void {
    const models = shownModels();
    find("samples").innerHTML = data.sampleIndices
      .map(function (index: number) {
        const guesses = models
          .map(function (m: any) {
            const p = m.predictions[index];
            return '<span class="' + (p === labels[index] ? "db-right" : "db-wrong") + '">' + p + "</span>";
          })
          .join(" / ");
        return (
          '<div class="db-sample">' +
          thumbnail(index) +
          "<div>true " +
          labels[index] +
          "</div><div>pred " +
          guesses +
          "</div></div>"
        );
      })
      .join("");
  }

  function drawConfusions(): void {
    const container = find("confusion");
    container.innerHTML = "";
    // Every plot's div first, so each is drawn at its final width.
    const divs = shownModels().map(function (_m: any, i: number) {
      const div = document.createElement("div");
      div.className = "db-confusion-plot";
      div.setAttribute("data-model", String(i === 0 ? state.model : state.compare));
      container.appendChild(div);
      return div;
    });
    shownModels().forEach(function (m: any, i: number) {
      const div = divs[i];
      const z = confusion(m);
      const digits = Array.from({ length: classes }, function (_, k) {
        return String(k);
      });
      // Colour by the square root of the count, so the few mistakes show beside the large diagonal.
      const shade = z.map(function (row) {
        return row.map(Math.sqrt);
      });
      Plotly.newPlot(
        div,
        [
          {
            type: "heatmap",
            z: shade,
            x: digits,
            y: digits,
            colorscale: [
              [0, "#f4f8fc"],
              [0.15, "#b9d3ea"],
              [1, "#08306b"],
            ],
            customdata: z,
            text: z.map(function (row) {
              return row.map(String);
            }),
            texttemplate: "%{text}",
            hovertemplate: "true %{y}, predicted %{x}: %{customdata}<extra></extra>",
            showscale: false,
            xgap: 1,
            ygap: 1,
          },
        ],
        layout({
          title: { text: escape(m.name), font: { size: 13 } },
          height: 420,
          margin: { t: 40, l: 50, r: 10, b: 50 },
          xaxis: { title: { text: "predicted" }, type: "category", showgrid: false },
          yaxis: { title: { text: "true" }, type: "category", autorange: "reversed", showgrid: false },
        }),
        config,
      );
      (div as any).on("plotly_click", function (event: any) {
        const point = event.points[0];
        drillDown(Number(point.y), Number(point.x), Number(div.getAttribute("data-model")));
      });
    });
  }

  function drawClassDistribution(): void {
    const digits = Array.from({ length: classes }, function (_, k) {
      return String(k);
    });
    function shares(counts: number[]): number[] {
      const total = counts.reduce(function (a, b) {
        return a + b;
      }, 0);
      return counts.map(function (c) {
        return (100 * c) / total;
      });
    }
    Plotly.react(
      find("distribution"),
      [
        {
          type: "bar",
          name: "training",
          x: digits,
          y: shares(data.dataset.trainClassCounts),
          customdata: data.dataset.trainClassCounts,
          hovertemplate: "digit %{x}: %{customdata} training images (%{y:.1f}%)<extra></extra>",
          marker: { color: "#457b9d" },
        },
        {
          type: "bar",
          name: "test",
          x: digits,
          y: shares(data.dataset.testClassCounts),
          customdata: data.dataset.testClassCounts,
          hovertemplate: "digit %{x}: %{customdata} test images (%{y:.1f}%)<extra></extra>",
          marker: { color: "#e9c46a" },
        },
      ],
      layout({
        height: 300,
        barmode: "group",
        margin: { t: 20, b: 40, l: 60, r: 20 },
        xaxis: { title: { text: "digit" }, type: "category" },
        yaxis: { title: { text: "share of the set (%)" } },
        legend: { orientation: "h" },
      }),
      config,
    );
  }

  function drawNormalised(): void {
    const n = data.normalised;
    const side = data.dataset.width;
    function grid(values: number[]): number[][] {
      const rows: number[][] = [];
      for (let y = 0; y < side; y++) rows.push(values.slice(y * side, (y + 1) * side));
      return rows;
    }
    Plotly.react(
      find("normalised"),
      [
        {
          type: "heatmap",
          z: grid(n.raw),
          colorscale: "Greys",
          reversescale: true,
          xaxis: "x",
          yaxis: "y",
          colorbar: { x: 0.44, len: 0.9 },
        },
        { type: "heatmap", z: grid(n.standardised), colorscale: "RdBu", zmid: 0, xaxis: "x2", yaxis: "y2" },
      ],
      layout({
        height: 300,
        margin: { t: 40, b: 20, l: 20, r: 20 },
        grid: { rows: 1, columns: 2, pattern: "independent" },
        annotations: [
          {
            text: "test digit " + n.index + ": raw pixels (0–255)",
            x: 0.2,
            y: 1.12,
            xref: "paper",
            yref: "paper",
            showarrow: false,
          },
          {
            text: "standardised: (x − mean) / std",
            x: 0.8,
            y: 1.12,
            xref: "paper",
            yref: "paper",
            showarrow: false,
          },
        ],
        yaxis: {
          autorange: "reversed",
          scaleanchor: "x",
          showticklabels: false,
          showgrid: false,
          zeroline: false,
        },
        yaxis2: {
          autorange: "reversed",
          scaleanchor: "x2",
          showticklabels: false,
          showgrid: false,
          zeroline: false,
        },
        xaxis: { showticklabels: false, showgrid: false, zeroline: false },
        xaxis2: { showticklabels: false, showgrid: false, zeroline: false },
      }),
      config,
    );
  }

  function drawReport(): void {
    const html = shownModels()
      .map(function (m: any, i: number) {
        const matrix = confusion(m);
        let rows = "";
        let macro = [0, 0, 0];
        for (let c = 0; c < classes; c++) {
          let predicted = 0;
          for (let t = 0; t < classes; t++) predicted += matrix[t][c];
          const support = matrix[c].reduce(function (a: number, b: number) {
            return a + b;
          }, 0);
          const precision = predicted ? matrix[c][c] / predicted : 0;
          const recall = support ? matrix[c][c] / support : 0;
          const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
          macro = [macro[0] + precision / classes, macro[1] + recall / classes, macro[2] + f1 / classes];
          rows +=
            '<tr><td><button type="button" class="db-class-link" data-testid="class-link-' +
            c +
            (i ? "-compare" : "") +
            '" data-class="' +
            c +
            '" data-model="' +
            (i === 0 ? state.model : state.compare) +
            '">' +
            c +
            "</button></td><td>" +
            precision.toFixed(3) +
            "</td><td>" +
            recall.toFixed(3) +
            "</td><td>" +
            f1.toFixed(3) +
            "</td><td>" +
            support +
            "</td></tr>";
        }
        rows +=
          '<tr class="db-total"><td>macro avg</td><td>' +
          macro[0].toFixed(3) +
          "</td><td>" +
          macro[1].toFixed(3) +
          "</td><td>" +
          macro[2].toFixed(3) +
          "</td><td>" +
          labels.length +
          "</td></tr>";
        rows +=
          '<tr class="db-total"><td>accuracy</td><td></td><td></td><td>' +
          m.testAccuracy.toFixed(4) +
          "</td><td>" +
          labels.length +
          "</td></tr>";
        return (
          '<div class="db-report"><div class="db-caption">' +
          escape(m.name) +
          "</div><table><thead><tr><th>class</th>" +
          "<th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>" +
          rows +
          "</tbody></table></div>"
        );
      })
      .join("");
    const container = find("report");
    container.innerHTML = html;
    container.querySelectorAll(".db-class-link").forEach(function (button) {
      button.addEventListener("click", function () {
        drillDown(Number(button.getAttribute("data-class")), -1, Number(button.getAttribute("data-model")));
      });
    });
  }

  function drawTables(): void {
    const tuned = data.tuned;
    find("tuned").innerHTML = tuned
      ? "<table><thead><tr><th>model</th><th>best hyperparameters</th><th>validation score</th><th>measured by</th></tr></thead><tbody>" +
        Object.keys(tuned)
          .map(function (name) {
            const t = tuned[name];
            const params = Object.keys(t.params)
              .map(function (k) {
                return escape(k) + " = " + escape(JSON.stringify(t.params[k]));
              })
              .join("<br>");
            return (
              "<tr><td>" +
              escape(name) +
              "</td><td>" +
              params +
              "</td><td>" +
              Number(t.validationScore).toFixed(4) +
              "</td><td>" +
              escape(t.validation) +
              "</td></tr>"
            );
          })
          .join("") +
        "</tbody></table>"
      : '<p class="db-note">No tuned hyperparameters yet: run notebook 05, which writes reports/tuned.json.</p>';
    const results = data.results;
    find("results").innerHTML = results.length
      ? "<table><thead><tr><th>model</th><th>implementation</th><th>test accuracy</th><th>training s</th></tr></thead><tbody>" +
        results
          .map(function (r: any) {
            return (
              "<tr><td>" +
              escape(r.model) +
              "</td><td>" +
              escape(r.implementation || "") +
              "</td><td>" +
              (typeof r.testAccuracy === "number" ? percent(r.testAccuracy) : "") +
              "</td><td>" +
              (typeof r.fitSeconds === "number" ? r.fitSeconds.toFixed(1) : "") +
              "</td></tr>"
            );
          })
          .join("") +
        "</tbody></table>"
      : '<p class="db-note">No reports/metrics.json yet: run notebooks 03 and 07.</p>';
  }

  /** The misclassified test digits of class `trueClass` (predicted as `predicted`, or as anything for −1). */
  function drillDown(trueClass: number, predicted: number, modelIndex: number): void {
    const model = data.models[modelIndex];
    const panel = find("drilldown");
    const items: string[] = [];
    let count = 0;
    for (let r = 0; r < labels.length; r++) {
      if (labels[r] !== trueClass || model.predictions[r] === trueClass) continue;
      if (predicted >= 0 && model.predictions[r] !== predicted) continue;
      count++;
      const probabilities = model.wrongProbabilities[r];
      if (!probabilities || items.length >= 60) continue;
      const bars = probabilities
        .map(function (p: number, c: number) {
          const kind = c === trueClass ? "db-bar-true" : c === model.predictions[r] ? "db-bar-pred" : "";
          return (
            '<span class="db-pbar ' +
            kind +
            '" title="' +
            c +
            ": " +
            percent(p, 1) +
            '" style="height:' +
            Math.max(1, 30 * p) +
            'px"></span>'
          );
        })
        .join("");
      items.push(
        '<div class="db-drill-item" data-testid="drilldown-item">' +
          thumbnail(r, "db-big") +
          "<div>#" +
          r +
          ": true " +
          trueClass +
          ", predicted <b>" +
          model.predictions[r] +
          "</b> (" +
          percent(probabilities[model.predictions[r]], 1) +
          ')</div><div class="db-pbars">' +
          bars +
          "</div></div>",
      );
    }
    const what = predicted >= 0 ? trueClass + " predicted as " + predicted : trueClass + " misclassified";
    panel.innerHTML =
      '<div class="db-caption" data-testid="drilldown-title">' +
      escape(model.name) +
      ": " +
      count +
      " test digits " +
      what +
      (count > items.length ? " (showing " + items.length + ")" : "") +
      "</div>" +
      (count === 0
        ? '<p class="db-note">None: every test ' + trueClass + " is right here.</p>"
        : items.join(""));
    panel.scrollIntoView({ block: "nearest" });
  }

  function drawAll(): void {
    root.setAttribute("data-theme", state.theme);
    drawFacts();
    drawDonuts();
    drawSamples();
    drawConfusions();
    drawClassDistribution();
    drawNormalised();
    drawReport();
    drawTables();
  }

  const picker = find("model-picker") as HTMLSelectElement;
  const comparePicker = find("compare-picker") as HTMLSelectElement;
  data.models.forEach(function (m: any, i: number) {
    picker.add(new Option(m.name + " (" + percent(m.testAccuracy) + ")", String(i)));
    comparePicker.add(new Option(m.name, String(i)));
  });
  picker.addEventListener("change", function () {
    state.model = Number(picker.value);
    drawAll();
  });
  comparePicker.addEventListener("change", function () {
    state.compare = Number(comparePicker.value);
    drawAll();
  });
  find("theme-toggle").addEventListener("click", function () {
    state.theme = state.theme === "light" ? "dark" : "light";
    drawAll();
  });
  drawAll();
}
