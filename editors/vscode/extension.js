// Starts `yibao lsp` (the language server of the yibao package) for .policy files.
// The server does the work; this file only finds the command and connects VS Code to it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("yibao");
  const command = config.get("server.command") || "yibao";
  const args = [...(config.get("server.args") || []), "lsp"];
  // The same command for running and debugging: the server has no debug mode of its own.
  const run = { command, args, transport: TransportKind.stdio };
  return { run, debug: run };
}

function clientOptions() {
  return {
    documentSelector: [{ scheme: "file", language: "yibao" }],
    synchronize: {
      // A parent policy changed on disk (git checkout, another editor): check again.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.policy"),
    },
  };
}

async function start() {
  client = new LanguageClient("yibao", "yibao", serverOptions(), clientOptions());
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new command path or arguments take effect at once: restart the server.
      if (event.affectsConfiguration("yibao.server")) {
        if (client) {
          await client.stop();
        }
        await start();
      }
    })
  );
  await start();
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };
