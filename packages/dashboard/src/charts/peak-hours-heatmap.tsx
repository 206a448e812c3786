/** Conversations started per weekday and hour (UTC, as the API counts them), as a shaded grid. */
import type { MetricsResponse } from '../api/types.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ORDER = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

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
            <th scope="col">
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
                const level = max === 0 ? 0 : value / max;
                return (
                  <td
                    key={hour}
                    className="heatmap-cell"
                    title={`${DAYS[day]} ${String(hour).padStart(2, '0')}:00 UTC — ${value} conversation${value === 1 ? '' : 's'}`}
                    style={{
                      background: value === 0 ? undefined : `rgba(79, 70, 229, ${0.12 + level * 0.88})`,
                    }}
                  >
                    <span className="visually-hidden">{value}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
