/**
 * Figures of a comparison as a table: each measure on the base and the candidate, and the change,
 * green when it is an improvement and red when it is a regression.
 */
import type { ComparisonRow } from '../lib/comparison-rows.ts';

/** A side's column heading: its name and, when known, the agent version that answered. */
export interface SideLabel {
  name: string;
  version: string | null;
}

export function ComparisonFigures(props: {
  rows: ComparisonRow[];
  base: SideLabel;
  candidate: SideLabel;
  caption: string;
  className?: string;
}) {
  return (
    <div className={`table-wrap ${props.className ?? ''}`}>
      <table className="table compare-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <SideHeading side={props.base} />
            <SideHeading side={props.candidate} />
            <th scope="col" className="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="num">{row.base}</td>
              <td className="num">{row.candidate}</td>
              <td className={`num delta${row.tone ? ` delta-${row.tone}` : ''}`}>{row.delta}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SideHeading(props: { side: SideLabel }) {
  const { name, version } = props.side;
  return (
    <th scope="col" className="num" title={version ? `${name} · ${version}` : name}>
      <span className="side-name">{name}</span>
      {version ? <span className="side-version">{version}</span> : null}
    </th>
  );
}
