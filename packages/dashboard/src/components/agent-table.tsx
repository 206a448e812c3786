import type { AgentInfo } from '../chat/agents-client.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { onRowKeyDown } from './row-keys.ts';

/** The served agents; a row (click or Enter) opens a chat with it. */
export function AgentTable(props: { agents: AgentInfo[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Description</th>
            <th scope="col" className="col-optional">
              Model
            </th>
            <th scope="col" className="col-optional">
              Tools
            </th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((agent) => {
            const open = () => navigate(pathOf('chat', agent.name));
            return (
              <tr
                key={agent.name}
                tabIndex={0}
                className="clickable-row"
                aria-label={`Agent ${agent.name}`}
                onClick={open}
                onKeyDown={(event) => onRowKeyDown(event, open)}
              >
                <td>
                  <strong>{agent.name}</strong>
                </td>
                <td>{agent.description || <span className="muted">–</span>}</td>
                <td className="col-optional">{agent.model}</td>
                <td className="col-optional">{agent.tools.map((tool) => tool.name).join(', ') || '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
