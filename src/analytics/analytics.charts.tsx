/**
 * Charts drawn on the server as SVG: no chart library, no script. Each chart is an image with a
 * title and a description for screen readers, drawn in `currentColor` (so it follows the page's
 * colours, dark mode included), with its numbers in a table beside it.
 */

export interface Point {
  label: string;
  value: number;
}

const W = 640;
const H = 180;
const PAD = { top: 10, right: 8, bottom: 24, left: 44 };

const fmt = (n: number) => n.toLocaleString('en-US');

/** Up to `n` evenly spaced indexes (first and last included) for axis labels. */
function ticks(length: number, n: number): number[] {
  if (length <= n) return [...Array(length).keys()];
  const step = (length - 1) / (n - 1);
  return [...Array(n).keys()].map((i) => Math.round(i * step));
}

function DataTable(props: { id: string; caption: string; head: [string, string]; points: Point[] }) {
  return (
    <details class="chart-data">
      <summary>Table of “{props.caption}”</summary>
      <table class="admin-table" id={props.id}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head[0]}</th>
            <th scope="col">{props.head[1]}</th>
          </tr>
        </thead>
        <tbody>
          {props.points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{fmt(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Vertical bars over time (days or hours). */
export function ColumnChart(props: { id: string; title: string; desc: string; unit: string; points: Point[] }) {
  const { points } = props;
  const max = Math.max(1, ...points.map((p) => p.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, points.length);
  const bar = Math.max(1, slot * 0.8);
  const total = points.reduce((n, p) => n + p.value, 0);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-t ${props.id}-d`}
        preserveAspectRatio="xMidYMid meet"
        class="chart-svg"
      >
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>
          {points.length
            ? `${props.desc} ${fmt(total)} ${props.unit} in all; most in one period: ${fmt(Math.max(0, ...points.map((p) => p.value)))}.`
            : `${props.desc} No data yet.`}
        </desc>
        <g fill="none" stroke="currentColor" stroke-opacity="0.3">
          <line x1={PAD.left} y1={PAD.top + innerH} x2={W - PAD.right} y2={PAD.top + innerH} />
          <line x1={PAD.left} y1={PAD.top} x2={W - PAD.right} y2={PAD.top} stroke-dasharray="3 3" />
        </g>
        <g fill="currentColor" font-size="11">
          <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end">
            {fmt(max)}
          </text>
          <text x={PAD.left - 4} y={PAD.top + innerH} text-anchor="end">
            0
          </text>
        </g>
        <g fill="currentColor">
          {points.map((p, i) => {
            const h = (p.value / max) * innerH;
            return (
              <rect key={p.label} x={PAD.left + i * slot + (slot - bar) / 2} y={PAD.top + innerH - h} width={bar} height={h}>
                <title>{`${p.label}: ${fmt(p.value)} ${props.unit}`}</title>
              </rect>
            );
          })}
        </g>
        <g fill="currentColor" font-size="11" text-anchor="middle">
          {ticks(points.length, 6).map((i) => (
            <text key={i} x={PAD.left + i * slot + slot / 2} y={H - 6}>
              {points[i].label}
            </text>
          ))}
        </g>
      </svg>
      <figcaption>{props.title}</figcaption>
      <DataTable id={`${props.id}-table`} caption={props.title} head={['When', props.unit]} points={points} />
    </figure>
  );
}

/** Horizontal bars for shares of a whole (sources, depth reached). */
export function BarChart(props: { id: string; title: string; desc: string; unit: string; points: Point[] }) {
  const { points } = props;
  const max = Math.max(1, ...points.map((p) => p.value));
  const row = 24;
  const labelW = 110;
  const h = Math.max(row, points.length * row) + 4;
  const innerW = W - labelW - 70;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} class="chart-svg">
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>
          {points.length ? `${props.desc} ${points.map((p) => `${p.label}: ${fmt(p.value)}`).join('; ')}.` : `${props.desc} No data yet.`}
        </desc>
        <g fill="currentColor" font-size="12">
          {points.map((p, i) => {
            const w = (p.value / max) * innerW;
            const y = i * row + 2;
            return (
              <g key={p.label}>
                <text x={labelW - 6} y={y + 15} text-anchor="end">
                  {p.label}
                </text>
                <rect x={labelW} y={y + 3} width={Math.max(p.value > 0 ? 1 : 0, w)} height={row - 8} fill-opacity="0.85" />
                <text x={labelW + w + 6} y={y + 15}>
                  {fmt(p.value)}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>{props.title}</figcaption>
      <DataTable id={`${props.id}-table`} caption={props.title} head={['', props.unit]} points={points} />
    </figure>
  );
}
