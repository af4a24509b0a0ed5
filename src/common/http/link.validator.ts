import { IsUrl } from 'class-validator';

/**
 * A link people follow from an email or a page: http or https only (never javascript: or data:),
 * with a host, and no user name or password in it.
 */
export const IsWebLink = () =>
  IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_host: true, disallow_auth: true },
    { message: '$property must be an http:// or https:// address without a user name or password' },
  );
