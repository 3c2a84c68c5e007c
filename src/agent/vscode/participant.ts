/**
 * `@defender` in chat: `/triage` (what needs attention first, and a proposed next step for each),
 * `/summarize` (one incident for a hand-over) and `/hunt` (what to look for next, as KQL to run
 * yourself). It composes the extension's tools with its own prompt on the model the user picked; every
 * write it proposes still goes through the tools' confirmations. The tools work without it. The model's
 * answer is rendered with every link and image neutralised (see neutralizeLinks). Only the registration
 * is here (activate() runs it); the prompts and the chat loop are a lazy chunk (./chat) loaded by the first request.
 */
import * as vscode from 'vscode';

export const PARTICIPANT_ID = 'defenderIncidents.defender';

export function registerParticipant(extensionUri: vscode.Uri, toolNames: readonly string[]): vscode.Disposable[] {
  if (!vscode.chat?.createChatParticipant) return [];
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) =>
    import('./chat').then(m => m.handle(new Set(toolNames), request, context, stream, token)),
  );
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  return [participant];
}
