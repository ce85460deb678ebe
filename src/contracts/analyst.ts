// The analysts' process models (src/api/analyst.ts).

export interface VersionProblem {
  element: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ModelVersion {
  version: number;
  /** the engine's process definition id */
  definitionId: string;
  deployedAt: string | null;
  /** the analyst's id for an upload; null for the deployment at start-up */
  deployedBy: string | null;
  resourceName: string;
  checksum: string;
  instances: {
    total: number;
    byState: { active: number; incident: number; completed: number; cancelled: number };
  };
  /** null when the engine has no XML for this version */
  lint: { errors: number; warnings: number; problems: VersionProblem[] } | null;
}

export interface ProcessModel {
  bpmnProcessId: string;
  name: string | null;
  /** newest first */
  versions: ModelVersion[];
}

/** GET /api/v1/analyst/process-definitions */
export interface ProcessModels {
  engineVersion: string;
  processes: ProcessModel[];
}

/** POST /api/v1/analyst/process-definitions */
export interface ModelUploadRequest {
  fileName: string;
  xml: string;
  /** administrators only: accept a new process id; default false */
  allowNewProcess?: boolean;
}

/** POST /api/v1/analyst/process-definitions: 201 when a version was created, else 200 */
export interface ModelsDeployed {
  created: boolean;
  versions: {
    bpmnProcessId: string;
    version: number;
    definitionId: string;
    resourceName: string;
    created: boolean;
  }[];
}

/** The 422 problem of a refused model: every problem by element and rule. */
export interface ModelRefused {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  problems: VersionProblem[];
}
