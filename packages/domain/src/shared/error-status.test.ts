import { describe, expect, it } from '@jest/globals';
import { httpStatusOf } from './error-status.js';
import { AuthenticationError, InvalidEventError, LimitExceededError, NotFoundError, PushlineError, ValidationError } from './errors.js';

class SomeOtherRefusal extends PushlineError {
  readonly code = 'some_other';
}

describe('httpStatusOf', () => {
  it.each([
    ['ValidationError', 400, new ValidationError('title', 'title is required')],
    ['AuthenticationError', 401, new AuthenticationError('no session')],
    ['NotFoundError', 404, new NotFoundError('notification', 'n1')],
    ['LimitExceededError', 429, new LimitExceededError('devices_per_user', 'too many')],
    ['InvalidEventError', 400, new InvalidEventError('order.shipped', 'orderId: required')],
    ['any other PushlineError', 400, new SomeOtherRefusal('no')],
  ])('answers %s with %i', (_, status, error) => {
    expect(httpStatusOf(error)).toBe(status);
  });
});
