/*
 * The product whose tokens nfguard finds: where its API answers and where
 * a person deletes a token by hand. Kept once, in the lowest layer that
 * knows what a token is, for verify/ (requests, guidance in revocation
 * reasons), report/ (the human report's advice) and cli/ (the default).
 */
#ifndef NFG_FINDING_PRODUCT_H
#define NFG_FINDING_PRODUCT_H

/* The Management API's base URL: the default of --api-url. */
#define PRODUCT_API_URL "https://api.notiflows.com"

/* The dashboard page where account tokens are listed and deleted. */
#define PRODUCT_DASHBOARD_URL "https://app.notiflows.com/account-tokens"

#endif
