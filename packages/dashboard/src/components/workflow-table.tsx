import type { WorkflowInfo } from '../chat/workflows-client.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { onRowKeyDown } from './row-keys.ts';

/** The served workflows; a row (click or Enter) opens the workflow, ready to start a run. */
export function WorkflowTable(props: { workflows: WorkflowInfo[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Workflow</th>
            <th scope="col">Description</th>
            <th scope="col" className="col-optional">
              Parameters
            </th>
          </tr>
        </thead>
        <tbody>
          {props.workflows.map((workflow) => {
            const open = () => navigate(pathOf('chat', 'workflows', workflow.name));
            const params = Object.keys(workflow.params?.properties ?? {});
            return (
              <tr
                key={workflow.name}
                tabIndex={0}
                className="clickable-row"
                aria-label={`Workflow ${workflow.name}`}
                onClick={open}
                onKeyDown={(event) => onRowKeyDown(event, open)}
              >
                <td>
                  <strong>{workflow.name}</strong>
                </td>
                <td>{workflow.description || <span className="muted">–</span>}</td>
                <td className="col-optional">{params.join(', ') || <span className="muted">none</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
