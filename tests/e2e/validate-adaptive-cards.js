#!/usr/bin/env node
// Validates Adaptive Cards with the Adaptive Cards JavaScript library (npm "adaptivecards"), the
// parser Microsoft's own web hosts use.
//
//   node validate-adaptive-cards.js cards.json      (or the JSON on standard input)
//
// The input is one card, an array of cards, or an object of named cards. Every problem is printed as
// "name: problem"; the exit code is 1 when there was any, 0 otherwise.
//
// What counts as a problem:
//   - every event AdaptiveCard.parse logs into its SerializationContext (invalid property values,
//     unknown element or action types, ...) except mere hints,
//   - every failure card.validateProperties() reports (duplicate ids, inputs without ids, too many
//     actions for the host, unsupported version, ...),
//   - properties the library does not know for that element type (a typo like "isMultline" is
//     silently ignored by the parser, and by Teams), except Teams' documented "msteams" extension,
//   - properties the Adaptive Cards schema requires but the library lets pass (Image.url,
//     TextBlock.text, Fact.title/value, Action.Execute/Submit title),
//   - the same checks for every "fallback" element or action, which the parser skips when the
//     primary is supported.
//
// The packaged ES modules (lib/) import without file extensions, which Node cannot resolve; the UMD
// bundle in dist/ loads as CommonJS. Parsing and validation touch no DOM, so no DOM shim is needed.
'use strict';

const fs = require('fs');
const AC = require('adaptivecards/dist/adaptivecards.js');

const hostExtensions = new Set(['msteams']);
const rootOnly = new Set(['$schema']);
// Collections the library reads with its own code rather than through the property schema.
const collections = {
  'AdaptiveCard': ['body', 'actions'],
  'Container': ['items'],
  'Column': ['items'],
  'ColumnSet': ['columns'],
  'ActionSet': ['actions'],
  'ImageSet': ['images'],
  'Input.ChoiceSet': ['choices'],
  'Action.ShowCard': ['card'],
};

function knownProperties(instance) {
  const schema = instance.getSchema();
  const names = new Set(['type', 'fallback', 'requires']);
  for (let i = 0; i < schema.getCount(); i++) names.add(schema.getItemAt(i).name);
  return names;
}

function registryProperties(registry) {
  const map = new Map();
  for (let i = 0; i < registry.getItemCount(); i++) {
    const item = registry.getItemAt(i);
    map.set(item.typeName, knownProperties(new item.objectType()));
  }
  return map;
}

const elementProperties = registryProperties(AC.GlobalRegistry.elements);
const actionProperties = registryProperties(AC.GlobalRegistry.actions);
const cardProperties = knownProperties(new AC.AdaptiveCard());
const factProperties = knownProperties(new AC.Fact());
const choiceProperties = knownProperties(new AC.Choice());

// What the Adaptive Cards schema (adaptive-card.json) marks required, beyond what validateProperties checks.
const required = {
  'Image': ['url'],
  'TextBlock': ['text'],
  'Action.Execute': ['title'],
  'Action.Submit': ['title'],
  'Action.OpenUrl': ['url'],
};

function checkProperties(node, where, problems, isAction) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => checkProperties(item, `${where}[${index}]`, problems, isAction));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const type = node.type;
  let known;
  if (type === 'AdaptiveCard') known = cardProperties;
  else if (typeof type === 'string') known = (isAction ? actionProperties : elementProperties).get(type) || (isAction ? elementProperties : actionProperties).get(type);
  if (known) {
    for (const key of Object.keys(node)) {
      const structural = (collections[type] || []).includes(key);
      if (!known.has(key) && !structural && !hostExtensions.has(key) && !(type === 'AdaptiveCard' && rootOnly.has(key))) {
        problems.push(`${where}: unknown property "${key}" on ${type}`);
      }
    }
    for (const key of required[type] || []) {
      if (node[key] === undefined || node[key] === null || node[key] === '') {
        problems.push(`${where}: ${type} must have "${key}" (required by the Adaptive Cards schema)`);
      }
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'data' || hostExtensions.has(key)) continue; // free-form payloads
    if (key === 'facts') {
      (Array.isArray(value) ? value : []).forEach((fact, index) => {
        for (const name of Object.keys(fact)) if (!factProperties.has(name)) problems.push(`${where}.facts[${index}]: unknown property "${name}" on Fact`);
        for (const name of ['title', 'value']) if (typeof fact[name] !== 'string') problems.push(`${where}.facts[${index}]: Fact must have "${name}" (required by the Adaptive Cards schema)`);
      });
      continue;
    }
    if (key === 'choices') {
      (Array.isArray(value) ? value : []).forEach((choice, index) => {
        for (const name of Object.keys(choice)) if (!choiceProperties.has(name)) problems.push(`${where}.choices[${index}]: unknown property "${name}" on Input.Choice`);
      });
      continue;
    }
    const childIsAction = key === 'actions' || key === 'selectAction' || (key === 'fallback' && isAction);
    if (value && typeof value === 'object') checkProperties(value, `${where}.${key}`, problems, childIsAction);
  }
}

function libraryProblems(cardJson, where, problems) {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  try {
    card.parse(cardJson, context);
  } catch (error) {
    problems.push(`${where}: parse threw ${error && error.message}`);
    return;
  }
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (event.event === AC.ValidationEvent.Hint) continue;
    problems.push(`${where}: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    if (event.event === AC.ValidationEvent.Hint) continue;
    problems.push(`${where}: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
}

// Fallbacks are only parsed when the primary is unsupported: validate each in a card of its own.
function fallbacks(node, where, isAction, found) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => fallbacks(item, `${where}[${index}]`, isAction, found));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'data' || hostExtensions.has(key)) continue;
    const childIsAction = key === 'actions' || key === 'selectAction' || (key === 'fallback' && isAction);
    if (key === 'fallback' && value && typeof value === 'object') found.push({ where: `${where}.fallback`, node: value, isAction });
    if (value && typeof value === 'object') fallbacks(value, `${where}.${key}`, childIsAction, found);
  }
}

function validate(name, cardJson) {
  const problems = [];
  if (cardJson === null || typeof cardJson !== 'object' || Array.isArray(cardJson)) return [`${name}: not a JSON object`];
  if (cardJson.type !== 'AdaptiveCard') problems.push(`${name}: "type" must be "AdaptiveCard"`);
  libraryProblems(cardJson, name, problems);
  checkProperties(cardJson, name, problems, false);
  const found = [];
  fallbacks(cardJson, name, false, found);
  for (const fallback of found) {
    const wrapper = { type: 'AdaptiveCard', version: cardJson.version };
    if (fallback.isAction) wrapper.actions = [fallback.node];
    else wrapper.body = [fallback.node];
    libraryProblems(wrapper, fallback.where, problems);
  }
  return problems;
}

function named(input) {
  if (Array.isArray(input)) return input.map((card, index) => [`card[${index}]`, card]);
  if (input && typeof input === 'object' && input.type === 'AdaptiveCard') return [['card', input]];
  if (input && typeof input === 'object') return Object.entries(input);
  throw new Error('expected a card, an array of cards or an object of named cards');
}

function main() {
  const file = process.argv[2];
  const text = file && file !== '-' ? fs.readFileSync(file, 'utf8') : fs.readFileSync(0, 'utf8');
  const cards = named(JSON.parse(text));
  let problems = 0;
  for (const [name, card] of cards) {
    for (const problem of validate(name, card)) {
      console.log(problem);
      problems++;
    }
  }
  console.log(`${cards.length} card(s) checked, ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main();
