import type Sharp from 'sharp';
import { lazy } from '../lazy.js';

const sharp = lazy<typeof Sharp>('sharp');

// Illustrations for the demo articles, drawn here as SVG and rasterised by sharp: nothing is downloaded.
const PALETTES = [
  ['#0b3954', '#087e8b', '#bfd7ea', '#ff5a5f'],
  ['#2d3142', '#4f5d75', '#bfc0c0', '#ef8354'],
  ['#1b4332', '#40916c', '#b7e4c7', '#f4a261'],
  ['#3d348b', '#7678ed', '#f7b801', '#f18701'],
  ['#582f0e', '#936639', '#c2c5aa', '#a4ac86'],
  ['#22223b', '#4a4e69', '#c9ada7', '#f2e9e4'],
];

const W = 1600;
const H = 900;

function rand(seed: number) {
  let s = seed || 1;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const motifs: Record<string, (c: string[], r: () => number) => string> = {
  skyline: (c, r) => {
    let x = 0;
    let out = '';
    while (x < W) {
      const w = 60 + r() * 120;
      const h = 200 + r() * 450;
      out += `<rect x="${x}" y="${H - h}" width="${w - 8}" height="${h}" fill="${c[0]}" opacity="0.9"/>`;
      for (let wy = H - h + 20; wy < H - 20; wy += 36) {
        for (let wx = x + 12; wx < x + w - 24; wx += 24)
          if (r() > 0.45) out += `<rect x="${wx}" y="${wy}" width="10" height="16" fill="${c[2]}" opacity="0.7"/>`;
      }
      x += w;
    }
    return `<circle cx="1250" cy="220" r="110" fill="${c[3]}"/>${out}`;
  },
  chart: (c, r) => {
    let pts = '';
    let y = 650;
    for (let i = 0; i <= 16; i++) {
      y = Math.max(150, Math.min(780, y - 60 + r() * 100));
      pts += `${100 + i * 87},${y} `;
    }
    let bars = '';
    for (let i = 0; i < 16; i++)
      bars += `<rect x="${110 + i * 87}" y="${H - 100 - r() * 260}" width="50" height="400" fill="${c[2]}" opacity="0.35"/>`;
    return `${bars}<polyline points="${pts}" fill="none" stroke="${c[3]}" stroke-width="14" stroke-linejoin="round"/>`;
  },
  globe: (c) =>
    `<circle cx="800" cy="450" r="330" fill="${c[1]}"/><g fill="none" stroke="${c[2]}" stroke-width="6">` +
    `<ellipse cx="800" cy="450" rx="330" ry="120"/><ellipse cx="800" cy="450" rx="120" ry="330"/><ellipse cx="800" cy="450" rx="240" ry="330"/>` +
    `<line x1="470" y1="450" x2="1130" y2="450"/></g><circle cx="800" cy="450" r="330" fill="none" stroke="${c[3]}" stroke-width="12"/>`,
  atom: (c) =>
    `<g fill="none" stroke="${c[2]}" stroke-width="10"><ellipse cx="800" cy="450" rx="360" ry="120"/>` +
    `<ellipse cx="800" cy="450" rx="360" ry="120" transform="rotate(60 800 450)"/><ellipse cx="800" cy="450" rx="360" ry="120" transform="rotate(-60 800 450)"/></g>` +
    `<circle cx="800" cy="450" r="60" fill="${c[3]}"/>`,
  stage: (c) =>
    `<path d="M0 0 H700 Q600 400 700 900 H0Z" fill="${c[3]}" opacity="0.85"/><path d="M1600 0 H900 Q1000 400 900 900 H1600Z" fill="${c[3]}" opacity="0.85"/>` +
    `<ellipse cx="800" cy="820" rx="420" ry="60" fill="${c[2]}" opacity="0.5"/><polygon points="800,0 560,820 1040,820" fill="${c[2]}" opacity="0.18"/>`,
  stadium: (c) =>
    `<rect x="0" y="520" width="1600" height="380" fill="${c[1]}"/><ellipse cx="800" cy="700" rx="600" ry="150" fill="none" stroke="${c[2]}" stroke-width="10"/>` +
    `<line x1="800" y1="550" x2="800" y2="850" stroke="${c[2]}" stroke-width="8"/><circle cx="800" cy="700" r="70" fill="none" stroke="${c[2]}" stroke-width="8"/>` +
    `<g fill="${c[3]}"><rect x="200" y="120" width="20" height="360"/><rect x="1380" y="120" width="20" height="360"/><circle cx="210" cy="120" r="40"/><circle cx="1390" cy="120" r="40"/></g>`,
  leaf: (c, r) => {
    let out = '';
    for (let i = 0; i < 9; i++) {
      const x = 150 + r() * 1300;
      const y = 150 + r() * 600;
      const a = r() * 360;
      out += `<path d="M0 -120 C90 -60 90 60 0 120 C-90 60 -90 -60 0 -120Z" transform="translate(${x} ${y}) rotate(${a}) scale(${0.6 + r()})" fill="${i % 2 ? c[2] : c[3]}" opacity="0.85"/>`;
    }
    return out;
  },
  bridge: (c) =>
    `<rect x="0" y="640" width="1600" height="260" fill="${c[1]}"/><path d="M0 520 Q400 200 800 520 Q1200 200 1600 520" fill="none" stroke="${c[3]}" stroke-width="16"/>` +
    `<rect x="0" y="520" width="1600" height="26" fill="${c[2]}"/><g fill="${c[2]}"><rect x="380" y="230" width="40" height="420"/><rect x="1180" y="230" width="40" height="420"/></g>`,
  ballot: (c) =>
    `<rect x="500" y="380" width="600" height="400" rx="20" fill="${c[2]}"/><rect x="640" y="370" width="320" height="24" fill="${c[0]}"/>` +
    `<rect x="680" y="140" width="240" height="300" fill="#fff" transform="rotate(-8 800 290)"/><path d="M720 290 l50 50 l100 -120" fill="none" stroke="${c[3]}" stroke-width="22" transform="rotate(-8 800 290)"/>`,
  ship: (c) =>
    `<rect x="0" y="620" width="1600" height="280" fill="${c[1]}"/><path d="M420 560 H1180 L1080 700 H520Z" fill="${c[3]}"/>` +
    `<g fill="${c[2]}"><rect x="560" y="420" width="120" height="140"/><rect x="700" y="380" width="120" height="180"/><rect x="840" y="440" width="120" height="120"/><rect x="980" y="460" width="90" height="100"/></g>`,
};

export const MOTIFS = Object.keys(motifs);

/** A 16:9 PNG illustration (1600×900 unless `width` says otherwise): a gradient and a simple drawn motif, varied by a seed. */
export async function drawHero(motif: string, palette: number, seed: number, width = W): Promise<Buffer> {
  const c = PALETTES[((palette % PALETTES.length) + PALETTES.length) % PALETTES.length];
  const draw = motifs[motif] ?? motifs.globe;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.round((width * H) / W)}" viewBox="0 0 ${W} ${H}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${c[0]}"/><stop offset="1" stop-color="${c[1]}"/></linearGradient></defs>
<rect width="${W}" height="${H}" fill="url(#g)"/>${draw(c, rand(seed))}</svg>`;
  return sharp()(Buffer.from(svg)).png().toBuffer();
}
