/**
 * The app's one page: the drawing canvas (lib/browser's widget, which classifies in the browser), the
 * model picker, image upload with boxes over each digit found, the "teach me" mode and a link to the
 * dashboard. Everything inline: the page works with no network but the app's own server.
 */
import { canvasWidgetHtml } from "../../lib/browser";
import type { SavedWeights } from "../../lib/models/scratch/network-classifier";
import type { ModelSummary } from "./models";

export interface PageData {
  models: ModelSummary[];
  chosen: string | null;
  /** Weights of the chosen model when the canvas can run it (a scratch CNN), else null. */
  canvasWeights: SavedWeights | null;
  notice: string;
  dashboard: boolean;
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function renderPage(data: PageData): string {
  const options = data.models
    .map((m) => {
      const accuracy = m.testAccuracy ?? m.validationAccuracy;
      const shown = accuracy === null ? "" : ` — ${(100 * accuracy).toFixed(2)}%`;
      const selected = m.name === data.chosen ? " selected" : "";
      return `<option value="${escape(m.name)}"${selected}>${escape(m.name)} (${escape(m.kind)})${shown}</option>`;
    })
    .join("");
  const canvas = data.canvasWeights
    ? canvasWidgetHtml(data.canvasWeights, { title: `Draw a digit — ${data.chosen}` })
    : `<p class="note">The drawing canvas runs scratch CNNs in the browser; pick one to draw.</p>`;
  const dashboard = data.dashboard
    ? `<a data-testid="dashboard-link" href="/dashboard" target="_blank">Open the results dashboard</a>`
    : `<span data-testid="dashboard-link">No dashboard yet: <code>npm run report</code> writes reports/dashboard.html.</span>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MNIST — your handwriting</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head>
<body>
<h1>Your handwriting, read by MNIST models</h1>
<p class="notice" data-testid="notice">${escape(data.notice)}</p>
<section><label>Model: <select data-testid="model-picker">${options}</select></label> · ${dashboard}</section>
<section id="draw">${canvas}</section>
<section id="upload"><h2>Upload images</h2>
<p>One digit per image, or a photo of a written number (its digits are read left to right). PNG or JPEG.</p>
<input type="file" multiple accept="image/png,image/jpeg" data-testid="upload">
<div data-testid="upload-results"></div></section>
<section id="teach"><h2>Teach me your handwriting</h2>
<p>Draw a digit on the canvas above, say which digit it is, and save it. With at least 10 samples,
fine-tune a copy of the model to your hand (saved as a new model).</p>
<label>Your name: <input data-testid="teach-name" value="me" size="12"></label>
<label>This digit is: <input data-testid="teach-label" size="2" maxlength="2"></label>
<button type="button" data-testid="teach-save">Save the drawing as a sample</button>
<div data-testid="teach-message" class="message"></div>
<div>Samples per digit: <span data-testid="teach-counts"></span></div>
<button type="button" data-testid="fine-tune">Fine-tune on my samples</button>
<progress data-testid="fine-tune-progress" max="1" value="0"></progress>
<span data-testid="fine-tune-status"></span>
<div data-testid="fine-tune-result"></div></section>
<script>const CHOSEN_MODEL = ${JSON.stringify(data.chosen).replace(/</g, "\\u003c")};
${CLIENT}</script>
</body></html>`;
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 16px auto; max-width: 980px; padding: 0 12px; }
section { margin: 14px 0; padding: 10px 14px; border: 1px solid #ddd; border-radius: 6px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 4px 0 8px; }
.notice:empty, .message:empty { display: none; }
.notice { color: #a15c00; } .message { margin: 6px 0; } .error { color: #b00020; }
.upload-card { display: flex; gap: 14px; margin: 10px 0; align-items: flex-start; }
.picture { position: relative; display: inline-block; }
.picture img { max-width: 320px; max-height: 200px; display: block; border: 1px solid #ccc; }
.box { position: absolute; border: 2px solid #e4572e; box-sizing: border-box; }
.box span { position: absolute; top: -18px; left: 0; background: #e4572e; color: #fff; font-size: 12px; padding: 0 3px; }
.bars { display: grid; grid-template-columns: 14px 120px 40px; gap: 1px 4px; font-size: 12px; margin: 4px 0; }
.bar { background: #4c78a8; height: 10px; margin-top: 2px; }
.digits { font-size: 22px; font-weight: 600; }
`;

/** The page's script: upload, teach and fine-tune, against the JSON API in ./server.ts. */
const CLIENT = `
const $ = (selector) => document.querySelector('[data-testid="' + selector + '"]');
async function api(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({ error: response.status + ' ' + response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}
const modelQuery = () => CHOSEN_MODEL ? '?model=' + encodeURIComponent(CHOSEN_MODEL) : '';
$('model-picker').addEventListener('change', (event) => {
  location.search = '?model=' + encodeURIComponent(event.target.value);
});

function bars(probabilities) {
  const grid = document.createElement('div');
  grid.className = 'bars';
  probabilities.forEach((p, digit) => {
    grid.insertAdjacentHTML('beforeend', '<span>' + digit + '</span><span><div class="bar" style="width:' +
      (100 * p).toFixed(1) + '%"></div></span><span>' + (100 * p).toFixed(1) + '%</span>');
  });
  return grid;
}

$('upload').addEventListener('change', async (event) => {
  const results = $('upload-results');
  results.innerHTML = '';
  for (const file of event.target.files) {
    const card = document.createElement('div');
    card.className = 'upload-card';
    card.dataset.testid = 'upload-result';
    card.dataset.file = file.name;
    results.appendChild(card);
    try {
      const answer = await api('/api/classify' + modelQuery(), {
        method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file,
      });
      const picture = document.createElement('div');
      picture.className = 'picture';
      const image = new Image();
      image.src = URL.createObjectURL(file);
      picture.appendChild(image);
      image.onload = () => {
        const scale = image.clientWidth / answer.width;
        answer.digits.forEach((digit) => {
          const box = document.createElement('div');
          box.className = 'box';
          Object.assign(box.style, { left: digit.box.x * scale + 'px', top: digit.box.y * scale + 'px',
            width: digit.box.width * scale + 'px', height: digit.box.height * scale + 'px' });
          box.innerHTML = '<span>' + digit.prediction + '</span>';
          picture.appendChild(box);
        });
      };
      const side = document.createElement('div');
      side.innerHTML = '<div class="file-name"></div><div class="digits" data-testid="upload-digits">' +
        answer.digits.map((d) => d.prediction).join('') + '</div>';
      side.querySelector('.file-name').textContent = file.name;
      answer.digits.forEach((digit) => side.appendChild(bars(digit.probabilities)));
      card.append(picture, side);
    } catch (error) {
      card.innerHTML = '<div><span class="file-name"></span>: <span class="error" data-testid="upload-error"></span></div>';
      card.querySelector('.file-name').textContent = file.name;
      card.querySelector('.error').textContent = error.message;
    }
  }
});

function showMessage(testid, text, isError) {
  const element = $(testid);
  element.textContent = text;
  element.className = isError ? 'message error' : 'message';
}
const person = () => $('teach-name').value.trim();
async function refreshCounts() {
  try {
    const { counts } = await api('/api/personal/' + encodeURIComponent(person()));
    $('teach-counts').textContent = counts.map((n, d) => d + ': ' + n).join(' · ');
  } catch (error) {
    $('teach-counts').textContent = error.message;
  }
}
$('teach-name').addEventListener('change', refreshCounts);
refreshCounts();

$('teach-save').addEventListener('click', async () => {
  const canvas = $('draw-canvas');
  if (!canvas) return showMessage('teach-message', 'pick a scratch CNN to get the drawing canvas', true);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const query = '?name=' + encodeURIComponent(person()) + '&label=' + encodeURIComponent($('teach-label').value.trim());
  try {
    const answer = await api('/api/teach' + query, {
      method: 'POST', headers: { 'content-type': 'image/png' }, body: blob,
    });
    showMessage('teach-message', 'saved ' + answer.saved, false);
    $('teach-counts').textContent = answer.counts.map((n, d) => d + ': ' + n).join(' · ');
    $('clear').click();
  } catch (error) {
    showMessage('teach-message', error.message, true);
  }
});

$('fine-tune').addEventListener('click', async () => {
  const status = $('fine-tune-status');
  const progress = $('fine-tune-progress');
  $('fine-tune-result').textContent = '';
  status.className = '';
  try {
    let job = await api('/api/fine-tune', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: person(), model: CHOSEN_MODEL }),
    });
    progress.max = job.epochs;
    while (job.status === 'running') {
      progress.value = job.epoch;
      status.textContent = job.message;
      await new Promise((resolve) => setTimeout(resolve, 400));
      job = await api('/api/fine-tune/' + job.id);
    }
    progress.value = job.epoch;
    status.textContent = job.message;
    if (job.status === 'failed') throw new Error(job.message);
    const r = job.result;
    const pct = (v) => (100 * v).toFixed(1) + '%';
    $('fine-tune-result').innerHTML = (r.personalSet === 'held-out' ? 'Your held-out samples (' + r.heldOut + '): ' : 'Your samples (no held-out set below 20): ') + pct(r.personal.before) + ' → ' +
      pct(r.personal.after) + '; MNIST test (' + r.mnistTest.images + ' images): ' + pct(r.mnistTest.before) +
      ' → ' + pct(r.mnistTest.after) + '. <a data-testid="fine-tuned-model" href="/?model=' +
      encodeURIComponent(r.model) + '">Use ' + r.model + '</a>';
  } catch (error) {
    status.textContent = error.message;
    status.className = 'error';
  }
});
`;
