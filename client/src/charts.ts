import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import type { PageContext } from './page.js';

// Only what a line chart with a legend and tooltips needs (keeps the bundle small); registered once, here.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** The dashed red line of a unit's minimum cover. */
const MINIMUM_COLOUR = '#a4001d';
const DASH = [6, 4];

export type LineSeries = {
  label: string;
  data: readonly (number | null)[];
  colour?: string;
  /** A target or threshold line rather than a measured one. */
  dashed?: boolean;
  /** A slightly curved line (measured weekly figures). */
  smooth?: boolean;
  /** Points to mark (a larger red triangle), e.g. the weeks below need; the page says which in words too. */
  marked?: readonly boolean[];
};

export type LineChartSpec = {
  labels: string[];
  series: LineSeries[];
  /** Drawn as a dashed flat line labelled "Minimum" when given (null: the unit has none). */
  minimum?: number | null;
  /** The y axis title; none when left out. */
  yTitle?: string;
  /**
   * Hourly series: no point markers, and the tooltip lists every series at the hovered hour. Left out, each
   * point is marked and the tooltip names the nearest one.
   */
  hourly?: boolean;
};

type LineData = ChartData<'line', (number | null)[], string>;

function lineData(spec: LineChartSpec): LineData {
  const series =
    spec.minimum === undefined || spec.minimum === null
      ? spec.series
      : [
          ...spec.series,
          { label: 'Minimum', data: spec.labels.map(() => spec.minimum!), colour: MINIMUM_COLOUR, dashed: true },
        ];
  return {
    labels: spec.labels,
    datasets: series.map((s) => ({
      label: s.label,
      data: [...s.data],
      ...(s.colour ? { borderColor: s.colour } : {}),
      ...(s.dashed ? { borderDash: DASH } : {}),
      ...(s.smooth ? { tension: 0.2 } : {}),
      ...(spec.hourly ? { pointRadius: 0 } : {}),
      ...(s.marked
        ? {
            pointRadius: s.marked.map((m) => (m ? 5 : 3)),
            pointStyle: s.marked.map((m) => (m ? ('triangle' as const) : ('circle' as const))),
            pointBackgroundColor: s.marked.map((m) => (m ? MINIMUM_COLOUR : (s.colour ?? '#fff'))),
            pointBorderColor: s.marked.map((m) => (m ? MINIMUM_COLOUR : (s.colour ?? '#666'))),
          }
        : {}),
    })),
  };
}

function lineOptions(spec: LineChartSpec): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    ...(spec.hourly ? { interaction: { mode: 'index', intersect: false } } : {}),
    scales: {
      y: { beginAtZero: true, ...(spec.yTitle ? { title: { display: true, text: spec.yTitle } } : {}) },
    },
  };
}

/**
 * Draws a line chart on the canvas, or redraws the one already on it with the new figures. The canvas
 * itself (its role="img", aria-label and fallback text, set by the page's template) is left as it is: the
 * chart is a picture of figures the page also gives as text.
 */
export function lineChart(canvas: HTMLCanvasElement, spec: LineChartSpec): Chart<'line', (number | null)[], string> {
  const old = Chart.getChart(canvas) as Chart<'line', (number | null)[], string> | undefined;
  if (old) {
    old.data = lineData(spec);
    old.options = lineOptions(spec);
    old.update();
    return old;
  }
  return new Chart(canvas, { type: 'line', data: lineData(spec), options: lineOptions(spec) });
}

/**
 * A page's chart on the canvas with the given id: `draw` (after the template has put the canvas in place)
 * draws or redraws it, or removes it when there is nothing to show or the canvas is gone; it goes with the
 * page.
 */
export function pageChart(ctx: PageContext, canvasId: string): { draw: (spec: LineChartSpec | null) => void } {
  let chart: Chart<'line', (number | null)[], string> | null = null;
  ctx.onDispose(() => chart?.destroy());
  return {
    draw: (spec) => {
      const canvas = ctx.disposed() ? null : document.getElementById(canvasId);
      const mine = canvas instanceof HTMLCanvasElement && spec ? canvas : null;
      // A chart on a canvas the template has since replaced would stay alive, listening for resizes.
      if (chart && chart.canvas !== mine) {
        chart.destroy();
        chart = null;
      }
      if (mine && spec) chart = lineChart(mine, spec);
    },
  };
}
