// Time-series graphs drawn with uPlot: one colour per series from a fixed palette, a legend that
// lists each series' labels and shows the values under the cursor, and a width that follows the
// page.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries } from './sources.js';

/**
 * Stroke colours, in the order series get them. Saturated and used nowhere else on the page, so
 * that a series' pixels can be told apart (the browser tests look for them).
 */
export const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#9a6324',
  '#800000',
  '#808000',
  '#000075',
  '#469990',
];

/** A graph in `container`, replaced by each {@link Graph#show}. */
export class Graph {
  constructor(container, { height = 320, legend = true } = {}) {
    this.container = container;
    this.height = height;
    this.legend = legend;
    this.plot = null;
    new ResizeObserver(() => {
      if (this.plot) {
        this.plot.setSize({ width: this.width(), height: this.height });
      }
    }).observe(container);
  }

  width() {
    return Math.max(200, this.container.clientWidth);
  }

  /**
   * Draws `series` (`[{label, points}]`) across `range` ({start, end} in seconds; else the data's
   * own span); returns the colour each series got, in order.
   */
  show(series, range) {
    this.clear();
    const colors = series.map((_, i) => PALETTE[i % PALETTE.length]);
    const options = {
      width: this.width(),
      height: this.height,
      legend: { show: this.legend, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colors[i],
          width: 2,
          spanGaps: true,
          points: { show: false },
          value: (u, v) => (v === null || v === undefined ? '—' : formatValue(v)),
        })),
      ],
      axes: [{}, { size: 60, values: (u, ticks) => ticks.map(formatValue) }],
    };
    this.plot = new uPlot(options, alignSeries(series, range), this.container);
    return colors;
  }

  clear() {
    if (this.plot) {
      this.plot.destroy();
      this.plot = null;
    }
  }
}

/** A value with at most four significant decimals and SI suffixes from a thousand up. */
export function formatValue(v) {
  const abs = Math.abs(v);
  const units = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      return `${+(v / size).toPrecision(4)}${suffix}`;
    }
  }
  return `${+v.toPrecision(4)}`;
}
