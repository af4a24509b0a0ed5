import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError } from '../errors/domain-error.js';
import { findTextProblem } from './input-text.js';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // decorators register bottom-up, so the last constraint is the first rule written: the type check
    const own = Object.values(error.constraints ?? {})
      .reverse()
      .map((message) => ({
        field,
        message: message.replace(error.property, field),
      }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator finds a class's rules, on every validation, by scanning the rules of every class
 * in the program (for inherited ones): most of the cost of checking a small input. Rules are
 * declared as modules load, so each lookup is kept until a rule is added (which empties the cache).
 */
function keepRuleLookups(): void {
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  const cache = new Map<object, Map<string, ReturnType<typeof lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    cache.clear();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
keepRuleLookups();

/**
 * Every GraphQL argument (variables and inline literals alike, after parsing) and every REST
 * body, query string and path parameter passes here first: text no field may hold (NUL, lone
 * surrogates) is refused naming the field, whatever the operation. Then the class validators run.
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = findTextProblem(value);
      if (problem) {
        const field = problem.field || metadata.data || metadata.type;
        throw new DomainError('BAD_USER_INPUT', `${field} ${problem.message}`, {
          field,
          errorCode: 'VALIDATION_ERROR',
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * One validation pipe for GraphQL inputs and REST bodies: unknown fields are refused, and the
 * error names the field as a dotted path ("customer.email", "lines.0.quantity").
 */
export function createValidationPipe(): ValidationPipe {
  return new InputPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      const first = problems[0] ?? { field: 'input', message: 'input is not valid' };
      return new DomainError('BAD_USER_INPUT', first.message, {
        field: first.field,
        errorCode: 'VALIDATION_ERROR',
        extra: { errors: problems },
      });
    },
  });
}
