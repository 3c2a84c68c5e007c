/** Hunting's contribution ids (package.json `notebooks`, `notebookRenderer`, `languages`), in one place. */
export const NOTEBOOK_TYPE = 'defender-huntbook';
export const CONTROLLER_ID = 'defenderIncidents.huntingController';
export const KQL_LANGUAGE = 'kql';
export const RENDERER_ID = 'defenderIncidents.huntResult';
