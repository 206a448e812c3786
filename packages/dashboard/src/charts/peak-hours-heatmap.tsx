/**
 * Conversations started per weekday and hour (UTC, as the API counts them), as a shaded grid that
 * fits its card at any width, with a legend of what a shade means.
 */
import type { MetricsResponse } from '../api/types.ts';
import { formatCount } from '../lib/format.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ORDER = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const LEGEND_STEPS = [0, 0.25, 0.5, 0.75, 1];

/** The shade of a cell: none for zero, then from light to the accent color. */
function shade(value: number, max: number): string | undefined {
  if (value === 0 || max === 0) return undefined;
  return `rgba(79, 70, 229, ${0.12 + (value / max) * 0.88})`;
}

export function PeakHoursHeatmap(props: { cells: MetricsResponse['heatmap'] }) {
  const counts = new Map<string, number>();
  let max = 0;
  for (const cell of props.cells) {
    counts.set(`${cell.weekday}:${cell.hour}`, cell.conversations);
    max = Math.max(max, cell.conversations);
  }
  return (
    <div className="heatmap-wrap">
      <table className="heatmap">
        <caption className="visually-hidden">Conversations started by weekday and hour (UTC)</caption>
        <thead>
          <tr>
            <th scope="col" className="heatmap-corner">
              <span className="visually-hidden">Day</span>
            </th>
            {HOURS.map((hour) => (
              <th key={hour} scope="col" className="heatmap-hour">
                {hour % 3 === 0 ? hour : <span className="visually-hidden">{hour}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ORDER.map((day) => (
            <tr key={day}>
              <th scope="row" className="heatmap-day">
                {DAYS[day]}
              </th>
              {HOURS.map((hour) => {
                const value = counts.get(`${day}:${hour}`) ?? 0;
                const background = shade(value, max);
                return (
                  <td
                    key={hour}
                    className="heatmap-cell"
                    title={`${DAYS[day]} ${String(hour).padStart(2, '0')}:00 UTC — ${value} conversation${value === 1 ? '' : 's'}`}
                    style={background ? { background } : undefined}
                  >
                    <span className="visually-hidden">{value}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <HeatmapLegend max={max} />
    </div>
  );
}

/** "0 [░▒▓█] 42 conversations per hour": what the lightest and darkest shades count. */
function HeatmapLegend(props: { max: number }) {
  return (
    <p className="heatmap-legend">
      <span className="visually-hidden">Legend: </span>
      <span>0</span>
      {LEGEND_STEPS.map((step) => (
        <span
          key={step}
          className="heatmap-swatch"
          style={props.max > 0 && step > 0 ? { background: shade(step * props.max, props.max) } : undefined}
        />
      ))}
      <span>
        {formatCount(props.max)} conversation{props.max === 1 ? '' : 's'} per hour slot (UTC, over the range)
      </span>
    </p>
  );
}
