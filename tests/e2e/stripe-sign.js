// Signs a webhook payload the way Stripe does, with the stripe package's own test helper.
// Usage: node stripe-sign.js PAYLOAD_FILE SECRET UNIX_TIMESTAMP  → prints the Stripe-Signature header.
const fs = require('fs');
const Stripe = require('stripe');
const [payloadFile, secret, timestamp] = process.argv.slice(2);
const stripe = new Stripe('sk_test_not_used_for_signing');
const payload = fs.readFileSync(payloadFile, 'utf8');
process.stdout.write(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Number(timestamp) }));
