export { Conditions } from '@pushline/testing';
