import fs from 'node:fs';
import path from 'node:path';

/**
 * A small horizontal bar chart as SVG (no dependency): one bar per label, grouped by series.
 * Written under docs/benchmarks/ and linked from docs/benchmarks.md.
 */
export interface BarChart {
  title: string;
  /** unit shown after each value, e.g. 'ms' or 'applications/s' */
  unit: string;
  labels: string[];
  series: { name: string; values: number[] }[];
  /** optional target line, e.g. 50 (ms) */
  target?: { value: number; label: string };
}

const COLOURS = ['#1d70b8', '#f47738', '#00703c', '#912b88', '#505a5f'];
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(chart: BarChart): string {
  const labelW = 260;
  const plotW = 420;
  const barH = 16;
  const gap = 10;
  const groupH = chart.series.length * barH + gap;
  const top = 40;
  const legendH = chart.series.length > 1 ? 20 : 0;
  const height = top + chart.labels.length * groupH + legendH + 30;
  const width = labelW + plotW + 120;
  const all = chart.series.flatMap((s) => s.values).filter(Number.isFinite);
  const max = Math.max(...all, chart.target?.value ?? 0) * 1.05 || 1;
  const x = (v: number) => labelW + (v / max) * plotW;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${esc(chart.title)}</text>`,
  );
  chart.labels.forEach((label, i) => {
    const y0 = top + i * groupH;
    parts.push(
      `<text x="${labelW - 8}" y="${y0 + (chart.series.length * barH) / 2 + 4}" text-anchor="end">${esc(label)}</text>`,
    );
    chart.series.forEach((s, j) => {
      const v = s.values[i] ?? NaN;
      const y = y0 + j * barH;
      if (!Number.isFinite(v)) return;
      parts.push(
        `<rect x="${labelW}" y="${y}" width="${Math.max(1, x(v) - labelW).toFixed(1)}" height="${barH - 2}" fill="${COLOURS[j % COLOURS.length]}"/>`,
        `<text x="${(x(v) + 4).toFixed(1)}" y="${y + barH - 5}">${esc(`${formatValue(v)} ${chart.unit}`)}</text>`,
      );
    });
  });
  if (chart.target) {
    const tx = x(chart.target.value).toFixed(1);
    const bottom = top + chart.labels.length * groupH;
    parts.push(
      `<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${bottom}" stroke="#d4351c" stroke-dasharray="4 3"/>`,
      `<text x="${tx}" y="${top - 9}" fill="#d4351c" text-anchor="middle">${esc(chart.target.label)}</text>`,
    );
  }
  if (chart.series.length > 1) {
    const ly = top + chart.labels.length * groupH + 10;
    let lx = labelW;
    chart.series.forEach((s, j) => {
      parts.push(
        `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${COLOURS[j % COLOURS.length]}"/>`,
        `<text x="${lx + 16}" y="${ly + 10}">${esc(s.name)}</text>`,
      );
      lx += 24 + s.name.length * 7;
    });
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function formatValue(v: number): string {
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/** docs/benchmarks, or BENCH_CHARTS_DIR (the smoke test writes elsewhere). */
export const CHARTS_DIR =
  process.env.BENCH_CHARTS_DIR ??
  path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'benchmarks');

/** Writes docs/benchmarks/<file>.svg; returns the path relative to docs/ for BenchResult.charts. */
export function writeChart(file: string, chart: BarChart): string {
  fs.mkdirSync(CHARTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(CHARTS_DIR, `${file}.svg`), barChartSvg(chart));
  return `benchmarks/${file}.svg`;
}
