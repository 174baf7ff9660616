import { Schema, model } from 'mongoose';
import { schemaOptions } from './placement.js';

export const UserModel = model(
  'User',
  new Schema(
    {
      username: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      role: { type: String, required: true },
      scope: { type: new Schema({ level: String, id: String }, { _id: false }), required: true },
      force: { type: String, required: true, index: true },
      passwordHash: { type: String, required: true },
      demo: { type: Boolean, default: false },
      sessionVersion: { type: Number },
    },
    schemaOptions,
  ),
);
