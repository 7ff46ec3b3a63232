// SVG charts of the report, drawn here from the figures the run computed (no charting
// library, no external service): bar charts of the medians per scenario (one panel per
// figure, one bar per implementation, each panel its own scale since the units differ) and
// line charts of a series over time (memory of the scale runs).

/** One colour per implementation, the same in every chart. */
const COLORS = { volley: "#2f6fdf", "socket.io": "#8a8a8a", ws: "#d08a2a" };
const FALLBACK_COLORS = ["#2f6fdf", "#8a8a8a", "#d08a2a", "#3a9a5a", "#b04a8a"];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const escapeXml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const colorOf = (key, index) => COLORS[key] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length];

/** `value` with `digits` decimals and thousands separators; "–" when it is not a number. */
function formatValue(value, digits) {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A file name part out of a title: lower case, words joined by "-". */
export function slug(text) {
  return String(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/**
 * A bar chart: `panels` ([{ name, digits, values: { [key]: number } }]) side by side, each
 * with one horizontal bar per key of `labels` ({ [key]: label }), its value written at its
 * end. A panel's scale runs from min(0, values) to max(0, values); a missing value draws no
 * bar and reads "–".
 */
export function barChart({ title, labels, panels }) {
  const keys = Object.keys(labels);
  const labelWidth = 110;
  // wide enough for the longest panel name (11 px text: about 6.2 px a character)
  const panelWidth = Math.max(230, Math.ceil(Math.max(...panels.map((p) => p.name.length)) * 6.2) + 10);
  const barHeight = 18;
  const gap = 6;
  const top = 44;
  const panelHeight = 22 + keys.length * (barHeight + gap);
  const width = labelWidth + panels.length * (panelWidth + 16) + 10;
  const height = top + panelHeight + 26;
  const parts = [];
  parts.push(`<text x="10" y="20" font-size="14" font-weight="600">${escapeXml(title)}</text>`);
  keys.forEach((key, i) => {
    const y = top + 22 + i * (barHeight + gap) + barHeight * 0.72;
    parts.push(`<text x="${labelWidth - 8}" y="${y}" font-size="12" text-anchor="end">${escapeXml(labels[key])}</text>`);
  });
  panels.forEach((panel, p) => {
    const x0 = labelWidth + p * (panelWidth + 16);
    const values = keys.map((key) => panel.values[key]).filter(Number.isFinite);
    const lo = Math.min(0, ...values);
    const hi = Math.max(0, ...values);
    const span = hi - lo || 1;
    // room for the value text after the longest bar
    const plot = panelWidth - 70;
    const xOf = (v) => x0 + ((v - lo) / span) * plot;
    parts.push(`<text x="${x0}" y="${top + 12}" font-size="11" fill="#333">${escapeXml(panel.name)}</text>`);
    parts.push(`<line x1="${xOf(0)}" y1="${top + 18}" x2="${xOf(0)}" y2="${top + panelHeight}" stroke="#bbb"/>`);
    keys.forEach((key, i) => {
      const value = panel.values[key];
      const y = top + 22 + i * (barHeight + gap);
      if (Number.isFinite(value)) {
        const [a, b] = [xOf(Math.min(0, value)), xOf(Math.max(0, value))];
        parts.push(`<rect x="${a}" y="${y}" width="${Math.max(1, b - a)}" height="${barHeight}" fill="${colorOf(key, i)}"/>`);
      }
      const textX = Number.isFinite(value) ? xOf(Math.max(0, value)) + 4 : xOf(0) + 4;
      parts.push(`<text x="${textX}" y="${y + barHeight * 0.72}" font-size="11">${formatValue(value, panel.digits ?? 2)}</text>`);
    });
  });
  return svg(width, height, parts);
}

/**
 * A line chart of series over time: `series` ([{ key, label, points: [[x, y]…], dashed? }]), `xLabel`
 * and `yLabel` for the axes; the axes run from 0 (or the lowest value if negative) to the
 * highest, with 5 ticks each.
 */
export function lineChart({ title, xLabel, yLabel, series, digits = 1 }) {
  // the legend on the right: as wide as its longest label
  const right = 46 + Math.ceil(Math.max(0, ...series.map((s) => s.label.length)) * 6.2);
  const width = 490 + right;
  const height = 320;
  const left = 70;
  const top = 36;
  const bottom = 44;
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const [xLo, xHi] = [Math.min(0, ...xs), Math.max(1e-9, ...xs)];
  const [yLo, yHi] = [Math.min(0, ...ys), Math.max(1e-9, ...ys)];
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const X = (x) => left + ((x - xLo) / (xHi - xLo)) * plotW;
  const Y = (y) => top + plotH - ((y - yLo) / (yHi - yLo)) * plotH;
  const parts = [`<text x="10" y="20" font-size="14" font-weight="600">${escapeXml(title)}</text>`];
  for (let i = 0; i <= 5; i++) {
    const yv = yLo + ((yHi - yLo) * i) / 5;
    const xv = xLo + ((xHi - xLo) * i) / 5;
    parts.push(`<line x1="${left}" y1="${Y(yv)}" x2="${left + plotW}" y2="${Y(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${Y(yv) + 4}" font-size="10" text-anchor="end">${formatValue(yv, digits)}</text>`);
    parts.push(`<text x="${X(xv)}" y="${top + plotH + 14}" font-size="10" text-anchor="middle">${formatValue(xv, 0)}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${height - 8}" font-size="11" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${top + plotH / 2})">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = colorOf(s.key, i);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : "";
    const d = s.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(" ");
    if (d !== "") parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    const ly = top + 10 + i * 18;
    parts.push(`<line x1="${left + plotW + 10}" y1="${ly - 4}" x2="${left + plotW + 30}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${left + plotW + 36}" y="${ly}" font-size="11">${escapeXml(s.label)}</text>`);
  });
  return svg(width, height, parts);
}

function svg(width, height, parts) {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}" ` +
    `viewBox="0 0 ${Math.round(width)} ${Math.round(height)}" ${FONT}>\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${parts.join("\n")}\n</svg>\n`
  );
}
